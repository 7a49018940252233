// Apache Jena's SHACL validation step alone, for benchmarks/versus_jena.py: parse the shapes
// and the data files into memory (timed apart), then time only ShaclValidator.validate.
// Compiled at run time by benchmarks/jena.py against Debian's Jena jars (never committed).
//
//   java -cp JARS:DIR JenaValidate SHAPES REPORT.ttl DATA...
// prints one JSON line: {"parse_s", "validate_s", "validate_cpu_s", "results"}.

import java.io.FileOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;

import org.apache.jena.graph.Graph;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.riot.RDFFormat;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.sparql.graph.GraphFactory;

public class JenaValidate {
    private static long cpuNanos() {
        // The whole JVM's CPU time (every thread: the validator, JIT, garbage collector).
        return ((com.sun.management.OperatingSystemMXBean)
                ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        Graph shapesGraph = RDFDataMgr.loadGraph(args[0]);
        Graph data = GraphFactory.createDefaultGraph();
        for (int i = 2; i < args.length; i++) {
            RDFDataMgr.read(data, args[i]);
        }
        Shapes shapes = Shapes.parse(shapesGraph);
        long parsed = System.nanoTime();
        long cpu = cpuNanos();
        ValidationReport report = ShaclValidator.get().validate(shapes, data);
        long cpuDone = cpuNanos();
        long validated = System.nanoTime();
        try (OutputStream out = new FileOutputStream(args[1])) {
            RDFDataMgr.write(out, report.getModel(), RDFFormat.TURTLE);
        }
        System.out.printf(
            "{\"parse_s\": %.3f, \"validate_s\": %.3f, \"validate_cpu_s\": %.3f, \"results\": %d}%n",
            (parsed - start) / 1e9, (validated - parsed) / 1e9, (cpuDone - cpu) / 1e9,
            report.getEntries().size());
    }
}
