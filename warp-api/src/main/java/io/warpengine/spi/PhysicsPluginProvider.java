package io.warpengine.spi;

/**
 * Creates a physics plugin; a module declares it with {@code provides
 * io.warpengine.spi.PhysicsPluginProvider with ...} and the engine finds it with
 * {@link java.util.ServiceLoader}. Needs a public no-argument constructor (or a static
 * {@code provider()} method) as {@code ServiceLoader} requires.
 */
public interface PhysicsPluginProvider {

  /**
   * A short unique name, such as {@code "cache"} or {@code "gravity"}: used to disable the
   * plugin, to prefix its settings ({@code name.setting}) and to key its metrics.
   */
  String name();

  /**
   * Creates the plugin for one engine. Runs during {@code Warp.open}, before any plugin starts;
   * must not start threads (do that in {@link PhysicsPlugin#start()}). A thrown exception fails
   * the open with this plugin's name in the message.
   */
  PhysicsPlugin create(PluginContext context);
}
