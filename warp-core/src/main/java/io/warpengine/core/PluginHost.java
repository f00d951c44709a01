package io.warpengine.core;

import io.warpengine.spi.EngineConfig;
import io.warpengine.spi.Journal;
import io.warpengine.spi.KeyMover;
import io.warpengine.spi.PhysicsPlugin;
import io.warpengine.spi.PhysicsPluginProvider;
import io.warpengine.spi.PluginConfig;
import io.warpengine.spi.PluginContext;
import io.warpengine.spi.ShardView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds, creates, starts and stops the physics plugins of one engine.
 *
 * <p>Order: discovered plugins sorted by name, then the ones added through the options in the
 * order given. All are created before any starts, so that each can find the others'
 * capabilities from {@code start()} on. Every created plugin is closed exactly once, in reverse
 * order, whether the engine closes normally or its open fails. A plugin that fails to be
 * created or started fails the open with its name in the message.
 *
 * <p>Hooks are dispatched by the engine to the plugins {@link #implementing} each; a hook that
 * throws is counted here ({@code hookFailures} in the plugin's metrics) and logged once per
 * plugin.
 */
final class PluginHost implements AutoCloseable {

  /** The name under which the engine's metrics list the journal's figures, beside the plugins'. */
  static final String JOURNAL_METRICS = "journal";

  private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);

  private final List<LoadedPlugin> plugins;
  private final SharedScheduler scheduler;
  private boolean closed;
  /** The engine's journal and the plugins' recovered metadata; set before start, if durable. */
  private volatile Journal journal;
  private volatile Map<String, byte[]> recoveredMetadata = Map.of();
  /** The engine's key mover and the one plugin it is offered to; set before start, if any. */
  private volatile KeyMover mover;
  private volatile String moverOwner;

  private PluginHost(List<LoadedPlugin> plugins, SharedScheduler scheduler) {
    this.plugins = plugins;
    this.scheduler = scheduler;
  }

  /** The engine's conditional delete, lent to plugins as {@link PluginContext#deleteIf}. */
  @FunctionalInterface
  interface Deleter {
    boolean deleteIf(String key, BooleanSupplier condition);
  }

  /** Discovers and creates (does not start) the plugins the options allow. */
  static PluginHost create(EngineConfig options, ShardView shards, Deleter deleter) {
    List<PhysicsPluginProvider> providers = new ArrayList<>();
    if (options.discoverPlugins()) {
      ServiceLoader.load(PhysicsPluginProvider.class, PluginHost.class.getClassLoader()).stream()
          .map(ServiceLoader.Provider::get)
          .sorted(Comparator.comparing(PhysicsPluginProvider::name))
          .forEach(providers::add);
    }
    providers.addAll(options.extraPlugins());
    providers.removeIf(p -> options.disabledPlugins().contains(p.name()));

    Set<String> names = new HashSet<>();
    for (PhysicsPluginProvider p : providers) {
      if (p.name().equals(JOURNAL_METRICS)) {
        throw new IllegalStateException("A physics plugin is named '" + JOURNAL_METRICS + "',"
            + " the name the engine's metrics give the journal: rename the plugin.");
      }
      if (!names.add(p.name())) {
        throw new IllegalStateException("Two physics plugins are named '" + p.name()
            + "': remove one from the path or disable it with WarpOptions.disablePlugin.");
      }
    }

    SharedScheduler scheduler = new SharedScheduler();
    List<LoadedPlugin> loaded = new ArrayList<>();
    PluginHost host = new PluginHost(loaded, scheduler);
    for (PhysicsPluginProvider provider : providers) {
      String name = provider.name();
      Context context = new Context(name, shards, scheduler,
          PluginConfig.of(name, options.properties()), host, deleter);
      try {
        loaded.add(new LoadedPlugin(name, provider.create(context)));
      } catch (RuntimeException | LinkageError e) {
        host.close();
        throw new IllegalStateException("Physics plugin '" + name + "' failed to load: " + e, e);
      }
    }
    return host;
  }

  /**
   * The one plugin implementation of a role only one plugin may fill (the shard router, the
   * residency policy); fails when more than one plugin offers it.
   */
  <T> Optional<T> exclusive(Class<T> role) {
    List<String> offering = plugins.stream()
        .filter(p -> p.plugin.capability(role).isPresent()).map(p -> p.name).toList();
    if (offering.size() > 1) {
      throw new IllegalStateException("More than one physics plugin offers a " + role.getSimpleName()
          + " " + offering + ": disable all but one with WarpOptions.disablePlugin.");
    }
    return capability(role);
  }

  /** Offers {@code mover} to the one plugin that offers {@code role} (the engine's router). */
  void offerMover(Class<?> role, KeyMover mover) {
    for (LoadedPlugin p : plugins) {
      if (p.plugin.capability(role).isPresent()) {
        this.moverOwner = p.name;
        this.mover = mover;
        return;
      }
    }
    throw new IllegalStateException("no plugin offers a " + role.getSimpleName());
  }

  /** Lets the plugins save metadata through {@code journal} and read what it recovered. */
  void attachJournal(Journal journal, Map<String, byte[]> recovered) {
    this.recoveredMetadata = Map.copyOf(recovered);
    this.journal = journal;
  }

  /** Starts every plugin in order; on failure the caller must {@link #close()} this host. */
  void start() {
    for (LoadedPlugin p : plugins) {
      try {
        p.plugin.start();
      } catch (RuntimeException | LinkageError e) {
        throw new IllegalStateException("Physics plugin '" + p.name + "' failed to start: " + e, e);
      }
    }
  }

  <T> Optional<T> capability(Class<T> type) {
    for (LoadedPlugin p : plugins) {
      Optional<T> found = p.plugin.capability(type);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  /**
   * The plugins that implement hook {@code name} (the {@link PhysicsPlugin} method with these
   * parameter types) instead of inheriting its empty default, in load order: the engine calls
   * a hook only on those, so a plugin costs nothing on operations it does not watch.
   */
  LoadedPlugin[] implementing(String name, Class<?>... parameterTypes) {
    return plugins.stream().filter(p -> {
      try {
        return p.plugin.getClass().getMethod(name, parameterTypes).getDeclaringClass()
            != PhysicsPlugin.class;
      } catch (NoSuchMethodException e) {
        throw new IllegalArgumentException("PhysicsPlugin has no hook " + name, e);
      }
    }).toArray(LoadedPlugin[]::new);
  }

  List<String> names() {
    return plugins.stream().map(p -> p.name).toList();
  }

  Map<String, Map<String, Number>> metrics() {
    Map<String, Map<String, Number>> out = new LinkedHashMap<>();
    for (LoadedPlugin p : plugins) {
      Map<String, Number> m = new LinkedHashMap<>();
      try {
        m.putAll(Map.copyOf(p.plugin.metrics())); // throws on a null name or figure
      } catch (RuntimeException e) {
        LOG.warn("Physics plugin '{}' failed to report metrics", p.name, e);
      }
      m.put("hookFailures", p.hookFailures.sum());
      out.put(p.name, Map.copyOf(m));
    }
    return out;
  }

  /** Closes every created plugin once, in reverse order, then the scheduler. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      for (int i = plugins.size() - 1; i >= 0; i--) {
        LoadedPlugin p = plugins.get(i);
        try {
          p.plugin.close();
        } catch (RuntimeException | LinkageError e) {
          LOG.warn("Physics plugin '{}' failed to close cleanly", p.name, e);
        }
      }
    } finally {
      scheduler.shutdown();
    }
  }

  /** A created plugin with its hook failure counter. */
  static final class LoadedPlugin {
    final String name;
    final PhysicsPlugin plugin;
    private final LongAdder hookFailures = new LongAdder();
    private final AtomicBoolean failureLogged = new AtomicBoolean();

    LoadedPlugin(String name, PhysicsPlugin plugin) {
      if (plugin == null) {
        throw new IllegalStateException("provider returned no plugin");
      }
      this.name = name;
      this.plugin = plugin;
    }

    void hookFailed(RuntimeException e) {
      hookFailures.increment();
      if (failureLogged.compareAndSet(false, true)) {
        LOG.warn("Physics plugin '{}' threw from a hook; counting further failures silently", name, e);
      }
    }
  }

  private record Context(String pluginName, ShardView shards, SharedScheduler sharedScheduler,
                         PluginConfig config, PluginHost host, Deleter deleter)
      implements PluginContext {
    @Override
    public ScheduledExecutorService scheduler() {
      return sharedScheduler.get();
    }

    @Override
    public <T> Optional<T> capability(Class<T> type) {
      return host.capability(type);
    }

    @Override
    public Optional<byte[]> recoveredMetadata() {
      return Optional.ofNullable(host.recoveredMetadata.get(pluginName)).map(byte[]::clone);
    }

    @Override
    public boolean saveMetadata(byte[] payload) {
      Journal j = host.journal;
      if (j == null) {
        return false;
      }
      j.awaitDurable(j.appendMetadata(pluginName, payload));
      return true;
    }

    @Override
    public boolean deleteIf(String key, BooleanSupplier condition) {
      return deleter.deleteIf(key, condition);
    }

    @Override
    public Optional<KeyMover> keyMover() {
      return pluginName.equals(host.moverOwner) ? Optional.ofNullable(host.mover) : Optional.empty();
    }
  }

  /** The plugins' scheduler, created on first use so an engine without plugins starts no thread. */
  private static final class SharedScheduler {
    private static final AtomicInteger ENGINES = new AtomicInteger();
    private ScheduledThreadPoolExecutor executor;
    private boolean shutdown;

    synchronized ScheduledExecutorService get() {
      if (shutdown) {
        throw new IllegalStateException("the engine is closed");
      }
      if (executor == null) {
        int engine = ENGINES.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        executor = new ScheduledThreadPoolExecutor(2, r -> {
          Thread t = new Thread(r, "warp-" + engine + "-plugin-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
        executor.setRemoveOnCancelPolicy(true);
      }
      return executor;
    }

    synchronized void shutdown() {
      shutdown = true;
      if (executor != null) {
        executor.shutdownNow();
        try {
          if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
            LOG.warn("Plugin tasks did not stop within 5 s of close");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
