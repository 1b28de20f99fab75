using Microsoft.EntityFrameworkCore;

namespace OpenIddictComparison;

/// <summary>OpenIddict's entity sets (applications, authorizations, scopes, tokens) in one SQLite file.</summary>
public sealed class BenchDbContext(DbContextOptions<BenchDbContext> options) : DbContext(options);
