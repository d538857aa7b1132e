package dev.cutover.plan;

@Doc("A PostgreSQL database the plan's steps act on.")
public record Database(
    @Required @Doc("Name of the host (from hosts) the server runs on.") String host,
    @Required @Doc("The database's name on its server.") String name,
    @Doc("Role to connect as (default postgres).") String user,
    @Doc("The server's port (default 5432).") Integer port,
    @Doc(
            "Name of the secret (under secrets) holding the role's password; leave it out when the server trusts the connection.")
        String passwordSecret,
    @Doc("How the worker reaches the database: jdbc (default) or host-tools.")
        DatabaseAccess access,
    @Doc(
            "Name or IP the worker (jdbc), the other host's pg_dump and the other server's subscription reach this server at (default: the host's address; 127.0.0.1 for a local host).")
        String address) {

  public static final String DEFAULT_USER = "postgres";

  public String userOrDefault() {
    return user == null ? DEFAULT_USER : user;
  }

  public DatabaseAccess accessOrDefault() {
    return access == null ? DatabaseAccess.JDBC : access;
  }
}
