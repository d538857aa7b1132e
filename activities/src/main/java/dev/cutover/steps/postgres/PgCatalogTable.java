package dev.cutover.steps.postgres;

/**
 * A user table as the catalog lists it.
 *
 * @param schema its schema
 * @param name its name
 * @param columns its columns, quoted and in name order, joined by commas (so the row text a
 *     checksum is built from does not depend on the order the columns were created in)
 */
public record PgCatalogTable(String schema, String name, String columns) {

  /** {@code schema.table}, as results and messages name tables. */
  public String display() {
    return schema + "." + name;
  }

  public String qualified() {
    return PgQuote.ident(schema) + "." + PgQuote.ident(name);
  }
}
