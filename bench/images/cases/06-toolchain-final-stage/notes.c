/* notes: keep short notes in an SQLite file. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int print_row(void *unused, int n, char **values, char **names)
{
    (void)unused;
    (void)names;
    for (int i = 0; i < n; i++)
        printf(i ? "\t%s" : "%s", values[i] ? values[i] : "");
    putchar('\n');
    return 0;
}

static int run(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, print_row, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "notes: %s\n", err);
        sqlite3_free(err);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *path = getenv("NOTES_DB") ? getenv("NOTES_DB") : "notes.db";
    sqlite3 *db;

    if (argc > 1 && strcmp(argv[1], "--selftest") == 0)
        path = ":memory:";
    if (sqlite3_open(path, &db) != SQLITE_OK) {
        fprintf(stderr, "notes: cannot open %s\n", path);
        return 1;
    }
    if (run(db, "CREATE TABLE IF NOT EXISTS notes(id INTEGER PRIMARY KEY, text TEXT NOT NULL)"))
        return 1;
    if (argc > 2 && strcmp(argv[1], "add") == 0) {
        sqlite3_stmt *st;
        sqlite3_prepare_v2(db, "INSERT INTO notes(text) VALUES (?)", -1, &st, NULL);
        sqlite3_bind_text(st, 1, argv[2], -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        return rc == SQLITE_DONE ? 0 : 1;
    }
    if (argc > 1 && strcmp(argv[1], "--selftest") == 0)
        run(db, "INSERT INTO notes(text) VALUES ('first'), ('second')");
    return run(db, "SELECT id, text FROM notes ORDER BY id");
}
