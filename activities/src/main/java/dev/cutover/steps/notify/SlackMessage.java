package dev.cutover.steps.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON body of a webhook: Slack's incoming-webhook format ({@code text} as the fallback and for
 * receivers that read only it, {@code blocks} with a header, the text, the fields and a context
 * line). Mattermost, Rocket.Chat and most chat bridges take the same body.
 */
final class SlackMessage {
  // Slack's limits: a header's text, a section's text, a field's text, fields per section.
  private static final int HEADER_MAX = 150;
  private static final int SECTION_MAX = 3000;
  private static final int FIELD_MAX = 2000;
  private static final int FIELDS_PER_SECTION = 10;
  private static final ObjectMapper JSON = new ObjectMapper();

  private SlackMessage() {}

  static String body(NotifyRequest request) {
    ObjectNode root = JSON.createObjectNode();
    root.put("text", fallback(request));
    ArrayNode blocks = root.putArray("blocks");
    ObjectNode header = blocks.addObject();
    header.put("type", "header");
    plain(header.putObject("text"), cut(title(request), HEADER_MAX));
    if (request.message() != null && !request.message().isBlank()) {
      ObjectNode section = blocks.addObject();
      section.put("type", "section");
      mrkdwn(section.putObject("text"), cut(escape(request.message()), SECTION_MAX));
    }
    List<Map.Entry<String, String>> fields = new ArrayList<>(request.fields().entrySet());
    fields.sort(Map.Entry.comparingByKey());
    for (int from = 0; from < fields.size(); from += FIELDS_PER_SECTION) {
      ObjectNode section = blocks.addObject();
      section.put("type", "section");
      ArrayNode texts = section.putArray("fields");
      for (Map.Entry<String, String> field :
          fields.subList(from, Math.min(fields.size(), from + FIELDS_PER_SECTION))) {
        mrkdwn(
            texts.addObject(),
            cut("*" + escape(field.getKey()) + "*\n" + escape(field.getValue()), FIELD_MAX));
      }
    }
    ObjectNode context = blocks.addObject();
    context.put("type", "context");
    mrkdwn(context.putArray("elements").addObject(), cut(contextLine(request), SECTION_MAX));
    return root.toString();
  }

  private static String fallback(NotifyRequest request) {
    StringBuilder text = new StringBuilder(escape(title(request)));
    if (request.message() != null && !request.message().isBlank()) {
      text.append('\n').append(escape(request.message()));
    }
    return cut(text.toString(), SECTION_MAX);
  }

  private static String title(NotifyRequest request) {
    return request.title() == null || request.title().isBlank()
        ? String.valueOf(request.event())
        : request.title();
  }

  private static String contextLine(NotifyRequest request) {
    StringBuilder line = new StringBuilder("cutover");
    if (request.migration() != null) {
      line.append(" · migration `").append(escape(request.migration())).append('`');
    }
    if (request.step() != null) {
      line.append(" · step `").append(escape(request.step())).append('`');
    }
    line.append(" · ").append(request.event());
    return line.toString();
  }

  private static void plain(ObjectNode node, String text) {
    node.put("type", "plain_text");
    node.put("text", text);
  }

  private static void mrkdwn(ObjectNode node, String text) {
    node.put("type", "mrkdwn");
    node.put("text", text);
  }

  /** Slack reads {@code <...>} as links and mentions; the three characters it asks to escape. */
  static String escape(String text) {
    return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
