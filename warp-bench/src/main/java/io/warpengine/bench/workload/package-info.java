/**
 * Workload building blocks shared by the {@code warp demo} tool and the JMH benchmarks: key
 * names and key-index distributions (uniform, Zipfian), and the benchmarks' arguments.
 */
package io.warpengine.bench.workload;
