-- Creates the database of each service on the first start of the postgres container (the
-- image runs /docker-entrypoint-initdb.d/ only while its data directory is empty). The migrate
-- job would create missing ones too; doing it here leaves the server complete on its own.
-- Each statement is skipped when the database exists; psql's \gexec runs the generated SQL.
SELECT 'CREATE DATABASE users' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'users')\gexec
SELECT 'CREATE DATABASE posts' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'posts')\gexec
SELECT 'CREATE DATABASE orders' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'orders')\gexec
