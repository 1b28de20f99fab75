namespace Tessera.Storage.Sqlite;

/// <summary>
/// One numbered step of the schema of one area (<c>keys</c>, <c>clients</c>, …). An area's versions run
/// 1, 2, 3… and each is applied once, in order, in the same transaction as its record in
/// <c>schema_migrations</c>. A shipped migration is never edited: add the next version instead.
/// </summary>
/// <param name="Area">The store that owns the tables, in lower case: <c>keys</c>, <c>clients</c>, <c>sessions</c>…</param>
/// <param name="Version">The step number within the area, from 1.</param>
/// <param name="Name">A short description, recorded when applied.</param>
/// <param name="Sql">The statements to run.</param>
public sealed record SqliteMigration(string Area, int Version, string Name, string Sql);
