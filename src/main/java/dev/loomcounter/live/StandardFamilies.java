package dev.loomcounter.live;

import dev.loomcounter.BuildVersion;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.lang.management.ManagementFactory;
import jdk.management.VirtualThreadSchedulerMXBean;

/**
 * The families a JVM dashboard reads, the same in every process: {@code process_*}, {@code jvm_memory_*},
 * {@code jvm_gc_*}, {@code jvm_threads_*} and {@code jvm_runtime_info} from the Prometheus client's JVM
 * instrumentation; the virtual-thread scheduler's gauges; and {@code loomcounter_build_info}.
 *
 * <p>One registry for the whole process, made on the first scrape: these figures belong to the JVM, not to one live
 * view, and the client's JVM instrumentation registers listeners with the JVM that live as long as it does.
 */
final class StandardFamilies {

    private static final PrometheusRegistry REGISTRY = registry();

    private StandardFamilies() {
    }

    static MetricSnapshots scrape() {
        return REGISTRY.scrape();
    }

    private static PrometheusRegistry registry() {
        PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        registry.register(new VirtualThreadScheduler());
        registry.register(StandardFamilies::buildInfo);
        return registry;
    }

    private static MetricSnapshots buildInfo() {
        return MetricSnapshots.of(InfoSnapshot.builder().name("loomcounter_build")
                .help("The loom-counter build that runs, as a label; the value is always 1.")
                .dataPoint(InfoDataPointSnapshot.builder().labels(Labels.of("version", BuildVersion.version())).build())
                .build());
    }

    /**
     * The virtual-thread scheduler's own view of itself (its MXBean, JDK 24 and later), under the names Micrometer
     * gives the same four figures, so that a dashboard made for one reads the other.
     */
    private static final class VirtualThreadScheduler implements MultiCollector {

        private final VirtualThreadSchedulerMXBean scheduler =
                ManagementFactory.getPlatformMXBean(VirtualThreadSchedulerMXBean.class);

        @Override
        public MetricSnapshots collect() {
            return MetricSnapshots.of(
                    Metrics.gauge("jvm_threads_virtual_parallelism_threads",
                            "Carriers the virtual-thread scheduler aims to keep busy (as many as cores).",
                            scheduler.getParallelism()),
                    Metrics.gauge("jvm_threads_virtual_pool_size_threads",
                            "Carrier threads that exist now, busy or idle.", scheduler.getPoolSize()),
                    GaugeSnapshot.builder().name("jvm_threads_virtual_live_threads")
                            .help("Virtual threads mounted on a carrier, or ready and queued for one (estimates).")
                            .dataPoint(status("mounted", scheduler.getMountedVirtualThreadCount()))
                            .dataPoint(status("queued", scheduler.getQueuedVirtualThreadCount()))
                            .build());
        }

        private static GaugeDataPointSnapshot status(String status, double value) {
            return GaugeDataPointSnapshot.builder().labels(Labels.of("scheduling_status", status)).value(value).build();
        }
    }
}
