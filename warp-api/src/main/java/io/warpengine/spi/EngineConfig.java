package io.warpengine.spi;

import io.warpengine.api.SyncPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The settings an engine and its journal are opened with, as the SPI sees them. Users build
 * them as {@code io.warpengine.WarpOptions}, which implements this interface; the SPI depends on
 * this contract rather than on the options class, so that the packages have no cycle.
 */
public interface EngineConfig {

  /** The number of shards, a power of two. */
  int shards();

  /** The largest value accepted, in bytes. */
  int maxValueBytes();

  /** Where a durable engine keeps its files; empty means in memory only. */
  Optional<Path> dataDirectory();

  SyncPolicy syncPolicy();

  /** Whether plugins on the path are loaded ({@code ServiceLoader}); added ones always are. */
  boolean discoverPlugins();

  /** Names of plugins (discovered or added) that must not be loaded. */
  Set<String> disabledPlugins();

  /** Plugins added by the caller, loaded after (and as well as) the discovered ones. */
  List<PhysicsPluginProvider> extraPlugins();

  /** Free-form settings, by convention {@code pluginName.setting}; plugins read their own. */
  Map<String, String> properties();
}
