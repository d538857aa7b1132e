package dev.cutover.steps.pgdatabase;

import dev.cutover.plan.Database;
import dev.cutover.plan.Doc;
import dev.cutover.plan.SpecCheck;
import dev.cutover.plan.StepSpec;
import java.util.regex.Pattern;

/** The fields of a {@code pg-database} step: a login role and the database it owns. */
public record PgDatabaseSpec(
    @Doc(
            "The database (from databases) to create: its name is created on its server, by its user (default postgres), who must be allowed to create roles and databases.")
        String database,
    @Doc("The role that owns the database; created with LOGIN when it does not exist.")
        String owner,
    @Doc(
            "Name of the secret (under secrets) holding the owner's password, set on every run; it never enters the history. Leave it out for a role without a password.")
        String passwordSecret,
    @Doc("The database's encoding, like UTF8 (default: the server's).") String encoding,
    @Doc(
            "The database's locale (LC_COLLATE and LC_CTYPE), like en_US.UTF-8 (default: the server's).")
        String locale)
    implements StepSpec {
  /** Role names as runbooks write them; the reserved pg_ prefix is refused. */
  static final Pattern ROLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_$-]{0,62}");

  static final Pattern ENCODING = Pattern.compile("[A-Za-z0-9_-]{1,32}");
  static final Pattern LOCALE = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");

  @Override
  public String placeText() {
    return database;
  }

  @Override
  public String activityPlace() {
    return database;
  }

  @Override
  public void validate(SpecCheck c) {
    c.require("database", database, "the database (from databases) to create");
    c.require("owner", owner, "the role that owns the database");
    c.databaseRef("database", database);
    Database d = database == null ? null : c.plan().databases().get(database);
    if (d != null && ("postgres".equals(d.name()) || d.name().startsWith("template"))) {
      c.report(
          "database",
          "database '"
              + database
              + "' is "
              + d.name()
              + ", the server's own; name the database to create");
    }
    if (owner != null && (!ROLE.matcher(owner).matches() || owner.startsWith("pg_"))) {
      c.report(
          "owner",
          "'"
              + owner
              + "' is not a role name cutover creates (letters, digits, _ $ -; not starting with pg_)");
    }
    if (passwordSecret != null && !c.secretKnown(passwordSecret)) {
      // The value is not repeated: an operator may have pasted the password itself here.
      c.report(
          "passwordSecret",
          "names no entry under secrets"
              + c.declaredSecrets()
              + "; passwordSecret is a secret's name, and secrets maps the name to env:NAME or file:/path");
    }
    if (encoding != null && !ENCODING.matcher(encoding).matches()) {
      c.report("encoding", "'" + encoding + "' is not an encoding name, like UTF8");
    }
    if (locale != null && !LOCALE.matcher(locale).matches()) {
      c.report("locale", "'" + locale + "' is not a locale name, like en_US.UTF-8 or C");
    }
  }
}
