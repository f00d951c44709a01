/**
 * JMH benchmarks of the engine against a bare {@code ConcurrentHashMap}, and their runner
 * {@link io.warpengine.bench.jmh.BenchCommand} ({@code ./warp jmh}). They run on the class path:
 * JMH is not a named module and is not part of the jlink image.
 */
package io.warpengine.bench.jmh;
