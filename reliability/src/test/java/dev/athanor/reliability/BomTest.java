package dev.athanor.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * What users import stays whole: every module the build publishes (one that does not set
 * {@code maven.deploy.skip}) is pinned by {@code athanor-bom} and by the parent's own dependencyManagement at the
 * project's version, and has a module name of its own. Read from the poms of the modules the root pom lists, so a
 * module added later is checked without being named here.
 */
class BomTest {
    private static final String GROUP = "dev.athanor";

    /** artifactId → module directory, of the published jar modules. */
    private static Map<String, String> published;
    /** Root pom's managed dev.athanor artifactId (plain jars) → version. */
    private static Map<String, String> parentManaged;
    private static Map<String, String> bomManaged;
    /** artifactId → its athanor.moduleName property (missing when not set). */
    private static Map<String, String> moduleNames;

    @BeforeAll
    static void readPoms() throws Exception {
        Path root = ModuleBoundariesTest.repositoryRoot(Path.of("").toAbsolutePath());
        Element parent = pom(root.resolve("pom.xml"));
        published = new TreeMap<>();
        moduleNames = new HashMap<>();
        for (Element module : children(child(parent, "modules"), "module")) {
            Element pom = pom(root.resolve(module.getTextContent().trim()).resolve("pom.xml"));
            String artifactId = text(pom, "artifactId");
            Element properties = child(pom, "properties");
            boolean skipped = properties != null && "true".equals(text(properties, "maven.deploy.skip"));
            if (!skipped && !"pom".equals(text(pom, "packaging"))) {
                published.put(artifactId, module.getTextContent().trim());
                moduleNames.put(artifactId, properties == null ? null : text(properties, "athanor.moduleName"));
            }
        }
        parentManaged = managed(parent);
        bomManaged = managed(pom(root.resolve("bom/pom.xml")));
    }

    @Test
    @DisplayName("the BOM pins every published module at the project's version")
    void bomListsEveryPublishedModule() {
        assertThat(published).as("published modules").containsKey("athanor-core");
        for (String artifactId : published.keySet()) {
            assertThat(bomManaged).as("bom/pom.xml dependencyManagement").containsEntry(artifactId, "${project.version}");
        }
        assertThat(bomManaged.values()).as("versions in bom/pom.xml").containsOnly("${project.version}");
    }

    @Test
    @DisplayName("the parent pom manages the same modules the BOM does")
    void parentManagesEveryPublishedModule() {
        for (String artifactId : published.keySet()) {
            assertThat(parentManaged).as("pom.xml dependencyManagement").containsEntry(artifactId, "${project.version}");
        }
    }

    @Test
    @DisplayName("every published jar has a module name of its own")
    void everyPublishedJarHasItsOwnModuleName() {
        assertThat(moduleNames).as("athanor.moduleName per published module").doesNotContainValue(null);
        assertThat(new ArrayList<>(moduleNames.values())).doesNotHaveDuplicates()
                .allSatisfy(name -> assertThat(name).startsWith(GROUP));
    }

    /** The dev.athanor jars (not test-jars) a pom's dependencyManagement pins, with their versions. */
    private static Map<String, String> managed(Element pom) {
        Map<String, String> versions = new TreeMap<>();
        Element dependencies = child(child(pom, "dependencyManagement"), "dependencies");
        for (Element dependency : children(dependencies, "dependency")) {
            if (GROUP.equals(text(dependency, "groupId")) && text(dependency, "type") == null) {
                versions.put(text(dependency, "artifactId"), text(dependency, "version"));
            }
        }
        return versions;
    }

    private static Element pom(Path file) throws ParserConfigurationException, SAXException, IOException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent == null ? null : parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }
}
