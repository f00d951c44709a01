package io.warpengine.bench.workload;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code name=value} arguments of the {@code warp …-bench} commands. */
public final class BenchArguments {

  private BenchArguments() {}

  /**
   * {@code defaults} with the values {@code args} give; a name not among the defaults is an
   * {@link IllegalArgumentException} that lists the known names.
   */
  public static Map<String, String> parse(String[] args, Map<String, String> defaults) {
    Map<String, String> a = new LinkedHashMap<>(defaults);
    for (String arg : args) {
      String name = arg.substring(0, Math.max(0, arg.indexOf('=')));
      if (!a.containsKey(name)) {
        throw new IllegalArgumentException("unknown argument '" + arg + "'; expected name=value"
            + " with a name of " + a.keySet());
      }
      a.put(name, arg.substring(name.length() + 1));
    }
    return a;
  }
}
