/**
 * Workload building blocks shared by the {@code warp demo} tool and the JMH benchmarks: key
 * names and key-index distributions (uniform, Zipfian), the benchmarks' arguments, and the
 * worker threads whose failures fail the run.
 */
package io.warpengine.bench.workload;
