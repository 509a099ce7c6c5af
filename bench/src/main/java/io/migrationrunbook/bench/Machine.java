package io.migrationrunbook.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The machine a table was measured on: cores, memory (from /proc/meminfo), load, Java. */
public record Machine(int cores, long memTotalMiB, long memAvailableMiB, double loadAverage, long jvmMaxHeapMiB, String java) {

    public static Machine describe() {
        long total = -1;
        long available = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    total = kib(line) / 1024;
                } else if (line.startsWith("MemAvailable:")) {
                    available = kib(line) / 1024;
                }
            }
        } catch (Exception notLinux) {
            // -1: unknown
        }
        return new Machine(Runtime.getRuntime().availableProcessors(), total, available,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().maxMemory() / 1048576,
                System.getProperty("java.version"));
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    public String line() {
        return String.format("machine: %d cores, %d MiB memory (%d MiB available), load average %.1f, Java %s, JVM heap max %d MiB",
                cores, memTotalMiB, memAvailableMiB, loadAverage, java, jvmMaxHeapMiB);
    }

    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("cores", cores);
        map.put("memTotalMiB", memTotalMiB);
        map.put("memAvailableMiB", memAvailableMiB);
        map.put("loadAverage", Math.round(loadAverage * 10) / 10.0);
        map.put("java", java);
        return map;
    }
}
