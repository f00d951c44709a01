package io.warpengine.bench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The layering rules of DESIGN.md, checked on the compiled classes of every module. Each module
 * is one line of {@link #MODULES}: its Maven directory, its packages, the ones it does not
 * export (never reached from outside the module) and what it may depend on besides the JDK and
 * the api. A plugin module's line allows nothing more, so it can reach neither core nor another
 * plugin. A new module adds its line.
 */
class ArchitectureTest {

  /**
   * @param directory  the Maven module
   * @param ownPackage every package of the module
   * @param internal   the packages it does not export (null: none)
   * @param mayAlsoUse what it may depend on besides the JDK, the api and itself ("..": anything)
   */
  private record Module(String directory, String ownPackage, String internal, List<String> mayAlsoUse) {}

  private static final String API = "io.warpengine.api..";
  private static final String SPI = "io.warpengine.spi..";
  /** Where users start: {@code Warp} and {@code WarpOptions}. */
  private static final String BOOTSTRAP = "io.warpengine";

  private static final List<Module> MODULES = List.of(
      new Module("warp-api", API, null, List.of()),
      new Module("warp-core", "io.warpengine.core..", "io.warpengine.core..",
          List.of("org.slf4j..", "org.eclipse.collections..", "com.google.common..")),
      new Module("warp-testkit", "io.warpengine.testkit..", null, List.of("com.sun.management..")),
      new Module("warp-wal", "io.warpengine.wal..", "io.warpengine.wal..", List.of()),
      new Module("warp-minimal", "io.warpengine.minimal..", "io.warpengine.minimal..", List.of()),
      new Module("warp-physics-cache", "io.warpengine.physics.cache..",
          "io.warpengine.physics.cache.internal..", List.of()),
      new Module("warp-physics-quantum", "io.warpengine.physics.quantum..",
          "io.warpengine.physics.quantum.internal..", List.of()),
      new Module("warp-physics-entropy", "io.warpengine.physics.entropy..",
          "io.warpengine.physics.entropy.internal..", List.of()),
      new Module("warp-physics-gravity", "io.warpengine.physics.gravity..",
          "io.warpengine.physics.gravity.internal..", List.of()),
      new Module("examples/warp-example-halflife", "io.warpengine.example.halflife..",
          "io.warpengine.example.halflife.internal..", List.of()),
      new Module("warp-bench", "io.warpengine.bench..", "io.warpengine.bench..", List.of("..")));

  private static JavaClasses all;

  @BeforeAll
  static void importEveryModule() {
    all = new ClassFileImporter().importPaths(
        MODULES.stream().map(m -> Path.of("..", m.directory(), "target", "classes"))
            .filter(Files::isDirectory).toList());
  }

  @Test
  void everyModuleWasImported() {
    for (Module m : MODULES) {
      if (!Files.isDirectory(Path.of("..", m.directory(), "target", "classes"))) {
        throw new AssertionError(m.directory() + " has no compiled classes to check");
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> eachModuleDependsOnlyOnWhatItMay() {
    return MODULES.stream().filter(m -> !m.mayAlsoUse().contains("..")).map(m -> DynamicTest.dynamicTest(
        m.directory(), () -> noClasses().that().resideInAPackage(m.ownPackage())
            .should().dependOnClassesThat(outside(m))
            .because(m.directory() + " may use only the JDK, the api and " + m.mayAlsoUse())
            .check(all)));
  }

  private static com.tngtech.archunit.base.DescribedPredicate<com.tngtech.archunit.core.domain.JavaClass>
      outside(Module m) {
    List<String> allowed = Stream.concat(Stream.of("java..", BOOTSTRAP, API, SPI, m.ownPackage()),
        m.mayAlsoUse().stream()).toList();
    return com.tngtech.archunit.core.domain.JavaClass.Predicates
        .resideOutsideOfPackages(allowed.toArray(String[]::new));
  }

  @TestFactory
  Stream<DynamicTest> implementationPackagesAreReachedOnlyFromTheirOwnModule() {
    return MODULES.stream().filter(m -> m.internal() != null).map(m -> DynamicTest.dynamicTest(
        m.directory(), () -> noClasses().that().resideOutsideOfPackage(m.ownPackage())
            .should().dependOnClassesThat().resideInAPackage(m.internal())
            .because(m.directory() + " does not export " + m.internal())
            .allowEmptyShould(true)
            .check(all)));
  }

  @Test
  void apiLayersWithoutReachingOutsideTheJdk() {
    noClasses().that().resideInAPackage(API)
        .should().dependOnClassesThat().resideOutsideOfPackages("java..", API)
        .check(all);
    noClasses().that().resideInAPackage(SPI)
        .should().dependOnClassesThat().resideOutsideOfPackages("java..", API, SPI)
        .check(all);
    noClasses().that().resideInAPackage(BOOTSTRAP)
        .should().dependOnClassesThat().resideOutsideOfPackages("java..", BOOTSTRAP, API, SPI)
        .check(all);
  }

  @Test
  void noPackageCycles() {
    slices().matching("io.warpengine.(**)").should().beFreeOfCycles().check(all);
  }
}
