package io.warpengine.minimal;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.WarpEngine;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A short durable workload for the minimal jlink image: in a new directory under the one given,
 * puts {@code keys} values, deletes every tenth key, reads every key back and checks it, closes,
 * reopens and checks the recovered state again. Prints what it did and ends with a line starting
 * "ok:"; any mismatch ends it with an exception (exit status 1).
 */
public final class MinimalWorkload {

  private MinimalWorkload() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: warp-minimal PARENT_DIRECTORY [KEYS]");
      System.exit(2);
    }
    Path parent = Files.createDirectories(Path.of(args[0]));
    int keys = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    Path dir = Files.createTempDirectory(parent, "run-");
    WarpOptions options = WarpOptions.builder().dataDirectory(dir).build();

    long start = System.nanoTime();
    List<String> plugins;
    try (WarpEngine engine = Warp.open(options)) {
      plugins = engine.pluginNames();
      check(engine.isDurable(), "the engine is not durable: is io.warpengine.wal in the image?");
      check(engine.pluginNames().isEmpty(), "physics plugins loaded: " + engine.pluginNames());
      for (int i = 0; i < keys; i++) {
        engine.put(key(i), value(i));
      }
      for (int i = 0; i < keys; i += 10) {
        check(engine.delete(key(i)), "delete of " + key(i) + " found nothing");
      }
      checkAll(engine, keys, "before close");
    }
    long written = System.nanoTime();
    try (WarpEngine engine = Warp.open(options)) {
      checkAll(engine, keys, "after reopening");
    }
    long end = System.nanoTime();
    System.out.printf(Locale.ROOT, "minimal: %,d puts, %,d deletes, %,d reads checked in %.0f ms;"
            + " reopened and %,d keys recovered and checked in %.0f ms; plugins %s; JDK modules %s%n",
        keys, (keys + 9) / 10, keys, (written - start) / 1e6, keys - (keys + 9) / 10,
        (end - written) / 1e6, plugins, jdkModules());
    System.out.println("ok: the minimal image ran the workload and every check passed");
  }

  private static void checkAll(WarpEngine engine, int keys, String when) {
    check(engine.size() == keys - (keys + 9) / 10, when + ": " + engine.size() + " keys stored");
    for (int i = 0; i < keys; i++) {
      byte[] found = engine.get(key(i));
      if (i % 10 == 0) {
        check(found == null, when + ": deleted " + key(i) + " is back");
      } else {
        check(found != null && ByteBuffer.wrap(found).getLong() == i * 31L,
            when + ": " + key(i) + " is missing or wrong");
      }
    }
  }

  private static String key(int i) {
    return "minimal:" + i;
  }

  private static byte[] value(int i) {
    return ByteBuffer.allocate(Long.BYTES).putLong(i * 31L).array();
  }

  private static List<String> jdkModules() {
    return ModuleLayer.boot().modules().stream().map(Module::getName)
        .filter(n -> n.startsWith("java.") || n.startsWith("jdk.")).sorted().toList();
  }

  private static void check(boolean ok, String failure) {
    if (!ok) {
      throw new IllegalStateException("minimal workload: " + failure);
    }
  }
}
