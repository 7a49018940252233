// The OWL API's OWL 2 DL profile check (OWL2DLProfile) of one ontology and, optionally, others
// merged with it. Imports are resolved only through the catalog-v001.xml beside the first
// document (Protégé's catalog format); an import it does not map fails the run, so nothing
// is fetched from the network.
//
// Usage: java DLProfileCheck ONTOLOGY [OTHER]...
// Prints one line per violation, then "violations: N"; exit status 0 (the count says it all).
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.util.OWLOntologyMerger;
import org.semanticweb.owlapi.util.SimpleIRIMapper;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

public class DLProfileCheck {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        manager.getOntologyConfigurator()
            .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.THROW_EXCEPTION);
        File first = new File(args[0]).getAbsoluteFile();
        File catalog = new File(first.getParentFile(), "catalog-v001.xml");
        if (catalog.isFile()) {
            NodeList entries = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(catalog).getElementsByTagName("uri");
            for (int i = 0; i < entries.getLength(); i++) {
                Element entry = (Element) entries.item(i);
                File target = new File(catalog.getParentFile(), entry.getAttribute("uri"));
                manager.getIRIMappers().add(new SimpleIRIMapper(
                    IRI.create(entry.getAttribute("name")), IRI.create(target)));
            }
        }
        List<OWLOntology> loaded = new ArrayList<>();
        for (String path : args) {
            loaded.add(manager.loadOntologyFromOntologyDocument(new File(path)));
        }
        int count = manager.getOntologies().size();
        OWLOntology merged = new OWLOntologyMerger(manager)
            .createMergedOntology(manager, IRI.create("urn:mktgraph:dl-check"));
        OWLProfileReport report = new OWL2DLProfile().checkOntology(merged);
        for (OWLProfileViolation violation : report.getViolations()) {
            System.out.println(violation.getClass().getSimpleName() + "\t" + violation);
        }
        System.out.println("loaded: " + count);
        System.out.println("violations: " + report.getViolations().size());
    }
}
