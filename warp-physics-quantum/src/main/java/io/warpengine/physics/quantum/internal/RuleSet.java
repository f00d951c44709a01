package io.warpengine.physics.quantum.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rule templates: groups of key templates with one {@code {id}} placeholder each, such as
 * {@code user:{id}, profile:{id}, settings:{id}}. A key that matches one template of a group
 * has the other templates of the group, filled with the same id, as partners. The id is one or
 * more characters without a {@code ':'}, so {@code user:{id}} matches {@code user:42} but not
 * {@code user:42:name}.
 *
 * <p>Text form (setting {@code quantum.rules}): groups separated by {@code ';'}, templates
 * within a group by {@code ','}, for example
 * {@code user:{id}, profile:{id}, settings:{id}; order:{id}, payment:{id}}. The preset
 * {@code original} ({@code quantum.preset=original}) holds six groups modelled on the seed
 * project's rule sets: user, order, post, product, project and article. Immutable.
 */
final class RuleSet {

  static final String PLACEHOLDER = "{id}";

  static final Map<String, String> PRESETS = Map.of("original", String.join("; ",
      "user:{id}, profile:{id}, settings:{id}, sessions:{id}",
      "order:{id}, order_items:{id}, payment:{id}, shipping:{id}",
      "post:{id}, post_comments:{id}, post_likes:{id}, post_tags:{id}",
      "product:{id}, inventory:{id}, pricing:{id}, reviews:{id}",
      "project:{id}, tasks:{id}, members:{id}, milestones:{id}",
      "article:{id}, article_comments:{id}, article_tags:{id}, article_stats:{id}"));

  private record Template(String prefix, String suffix) {
    String fill(String id) {
      return prefix + id + suffix;
    }

    /** The id if {@code key} matches, else null. */
    String match(String key) {
      if (key.length() <= prefix.length() + suffix.length()
          || !key.startsWith(prefix) || !key.endsWith(suffix)) {
        return null;
      }
      String id = key.substring(prefix.length(), key.length() - suffix.length());
      return id.indexOf(':') < 0 ? id : null;
    }
  }

  private final List<List<Template>> groups;

  private RuleSet(List<List<Template>> groups) {
    this.groups = groups;
  }

  /** Parses the groups of {@code text}; an empty text gives no rules. */
  static RuleSet parse(String text) {
    List<List<Template>> groups = new ArrayList<>();
    for (String group : text.split(";")) {
      if (group.isBlank()) {
        continue;
      }
      List<Template> templates = new ArrayList<>();
      for (String raw : group.split(",")) {
        templates.add(template(raw.strip(), group.strip()));
      }
      if (templates.size() < 2) {
        throw new IllegalArgumentException(
            "rule group '" + group.strip() + "' needs at least two templates");
      }
      groups.add(List.copyOf(templates));
    }
    return new RuleSet(List.copyOf(groups));
  }

  private static Template template(String t, String group) {
    int at = t.indexOf(PLACEHOLDER);
    if (at < 0 || t.indexOf(PLACEHOLDER, at + 1) >= 0) {
      throw new IllegalArgumentException("template '" + t + "' in rule group '" + group
          + "' must contain " + PLACEHOLDER + " exactly once");
    }
    return new Template(t.substring(0, at), t.substring(at + PLACEHOLDER.length()));
  }

  /** The rule partners of {@code key}, in rule order, without duplicates or the key itself. */
  List<String> partnersOf(String key) {
    Set<String> out = new LinkedHashSet<>();
    for (List<Template> group : groups) {
      for (Template t : group) {
        String id = t.match(key);
        if (id != null) {
          for (Template other : group) {
            out.add(other.fill(id));
          }
        }
      }
    }
    out.remove(key);
    return List.copyOf(out);
  }

  int groupCount() {
    return groups.size();
  }
}
