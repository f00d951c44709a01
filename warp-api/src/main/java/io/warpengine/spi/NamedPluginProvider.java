package io.warpengine.spi;

import java.util.Objects;
import java.util.function.Function;

/**
 * A {@link PhysicsPluginProvider} from a name and a constructor, so that a plugin's provider is
 * one line:
 *
 * <pre>{@code
 * public final class HalfLifeProvider extends NamedPluginProvider {
 *   public HalfLifeProvider() { super("half-life", HalfLifePlugin::new); }
 * }
 * }</pre>
 */
public abstract class NamedPluginProvider implements PhysicsPluginProvider {

  private final String name;
  private final Function<PluginContext, ? extends PhysicsPlugin> factory;

  protected NamedPluginProvider(String name, Function<PluginContext, ? extends PhysicsPlugin> factory) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a plugin name must not be null or blank");
    }
    this.name = name;
    this.factory = Objects.requireNonNull(factory, "factory");
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final PhysicsPlugin create(PluginContext context) {
    return factory.apply(context);
  }

  @Override
  public String toString() {
    return getClass().getName() + "[" + name + "]";
  }
}
