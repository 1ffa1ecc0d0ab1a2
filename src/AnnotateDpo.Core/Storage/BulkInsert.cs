using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace AnnotateDpo.Core.Storage;

/// <summary>
/// Plain INSERTs, for tables the statistics fill a hundred thousand rows at a time: EF's change tracker takes seconds
/// there. SQLite runs one prepared single-row INSERT per row, in-process and cheap; PostgreSQL takes many rows per
/// statement, one round trip each. (SQLite looks its parameters up by name one after another, so a statement of
/// thousands of parameters costs quadratic time: 20 s for 100 000 rows of eight values.)
/// </summary>
internal static class BulkInsert
{
    /// <summary>Rows per PostgreSQL INSERT: far below its parameter limit for any table here.</summary>
    private const int Batch = 500;

    /// <param name="rows">Each row's values in <paramref name="columns"/>' order; enums as the names they are stored as.</param>
    /// <param name="onConflict">What to do with a row whose key is there already (an <c>ON CONFLICT</c> clause, which
    /// SQLite and PostgreSQL read alike); by default the INSERT is refused.</param>
    public static async Task InsertAsync(AnnotateDbContext db, string table, IReadOnlyList<string> columns, IEnumerable<object?[]> rows,
        CancellationToken cancellationToken, string? onConflict = null)
    {
        var head = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ";
        var tail = onConflict is null ? "" : " " + onConflict;
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            if (db.Database.IsSqlite())
            {
                command.CommandText = head + Placeholders(command, 0, columns.Count) + tail;
                command.Prepare();
                foreach (var values in rows)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
                    // Synchronous on purpose: Microsoft.Data.Sqlite runs async calls synchronously, a task per row is pure overhead.
                    command.ExecuteNonQuery();
                }
                return;
            }
            foreach (var batch in rows.Chunk(Batch))
            {
                command.Parameters.Clear();
                var sql = new StringBuilder(head);
                for (var row = 0; row < batch.Length; row++)
                    sql.Append(row == 0 ? "" : ", ").Append(Placeholders(command, row * columns.Count, columns.Count));
                command.CommandText = sql.Append(tail).ToString();
                for (var row = 0; row < batch.Length; row++)
                    for (var i = 0; i < columns.Count; i++)
                        command.Parameters[row * columns.Count + i].Value = batch[row][i] ?? DBNull.Value;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>"(@p0, @p1, …)" for one row, adding its parameters to the command.</summary>
    private static string Placeholders(DbCommand command, int first, int count)
    {
        var names = new List<string>(count);
        for (var i = first; i < first + count; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            command.Parameters.Add(parameter);
            names.Add(parameter.ParameterName);
        }
        return $"({string.Join(", ", names)})";
    }
}
