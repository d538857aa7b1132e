package dev.cutover.fleet.load;

/**
 * A {@code ${name}} in a template's text.
 *
 * @param start offset of the {@code $} in the text
 * @param end offset just past the closing brace
 * @param line the line of the {@code $}, from 1
 * @param column its column, from 1
 */
record TemplatePlaceholder(String name, int start, int end, int line, int column) {}
