package io.warpengine;

import io.warpengine.api.WarpEngine;
import io.warpengine.spi.EngineProvider;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * The entry point: finds the engine implementation with {@link ServiceLoader} and opens it.
 *
 * <pre>{@code
 * try (WarpEngine warp = Warp.open(WarpOptions.defaults())) {
 *   warp.put("user:42", "Ada".getBytes(UTF_8));
 * }
 * }</pre>
 *
 * <p>As with SLF4J, the api holds no engine: the {@code warp-core} module provides one. When
 * none is on the module path or class path, {@link #open} fails with one sentence that says so.
 */
public final class Warp {

  private Warp() {}

  /** Opens an engine with default options (in memory). */
  public static WarpEngine open() {
    return open(WarpOptions.defaults());
  }

  /**
   * Opens an engine.
   *
   * @throws IllegalStateException when no engine module is present, or more than one is; with
   *     {@code warp-wal} and a data directory, also when another open engine (in this process or
   *     another) holds the directory, or recovery finds damage before a log's tail (the message
   *     names the file and offset)
   * @throws java.io.UncheckedIOException with {@code warp-wal}, when the data directory cannot be
   *     used: a file in its place, or one that cannot be created, locked or read
   */
  public static WarpEngine open(WarpOptions options) {
    Objects.requireNonNull(options, "options");
    return findProvider().open(options);
  }

  static EngineProvider findProvider() {
    List<EngineProvider> found = ServiceLoader.load(EngineProvider.class, Warp.class.getClassLoader())
        .stream().map(ServiceLoader.Provider::get).toList();
    if (found.isEmpty()) {
      throw new IllegalStateException("No Warp engine found: add the io.warpengine:warp-core"
          + " artifact (module io.warpengine.core) to the module path or class path.");
    }
    if (found.size() > 1) {
      throw new IllegalStateException("More than one Warp engine found ("
          + found.stream().map(p -> p.getClass().getName()).toList()
          + "): keep exactly one engine module on the path.");
    }
    return found.getFirst();
  }
}
