import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Summarises the JUnit XML reports of a SCIMono run: passed, failed and skipped per test class, for the whole suite
 * and for the tests that apply to scimflow (all but those listed in the SAP-extensions file), then every failure of
 * the latter, marked known (listed with its reason in the known-failures file) or NEW. Exits 1 when there is a new
 * failure.
 *   java conformance/ScimonoReport.java REPORTS_DIR KNOWN_FAILURES_FILE SAP_EXTENSIONS_FILE
 */
public class ScimonoReport {

  public static void main(String[] args) throws Exception {
    Map<String, String> known = listed(args[1]);
    Map<String, String> leftOut = listed(args[2]);
    Map<String, int[]> perClass = new TreeMap<>();
    List<String[]> failures = new ArrayList<>();
    File[] reports = new File(args[0]).listFiles((dir, name) -> name.startsWith("TEST-") && name.endsWith(".xml"));
    if (reports == null || reports.length == 0) {
      System.out.println("no SCIMono reports in " + args[0] + " (see suite.log next to it)");
      System.exit(1);
    }
    for (File report : reports) {
      NodeList cases = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report).getElementsByTagName("testcase");
      for (int i = 0; i < cases.getLength(); i++) {
        Element testCase = (Element) cases.item(i);
        String className = testCase.getAttribute("classname");
        String simpleName = className.substring(className.lastIndexOf('.') + 1);
        String method = testCase.getAttribute("name").replaceAll("\\(.*", "");
        boolean sap = leftOut.containsKey(simpleName) || leftOut.containsKey(simpleName + "#" + method);
        int[] counts = perClass.computeIfAbsent(simpleName, name -> new int[6]);
        int offset = sap ? 3 : 0;
        Element failure = first(testCase, "failure", "error");
        if (testCase.getElementsByTagName("skipped").getLength() > 0) {
          counts[offset + 2]++;
        } else if (failure != null) {
          counts[offset + 1]++;
          String message = failure.getAttribute("message");
          if (!sap) {
            failures.add(new String[] {simpleName + "#" + method, message.isEmpty() ? failure.getAttribute("type") : message});
          }
        } else {
          counts[offset]++;
        }
      }
    }
    int[] total = new int[6];
    System.out.printf("%-46s %6s %6s %7s | %s%n", "test class (tests that apply)", "passed", "failed", "skipped",
        "SAP extensions: passed failed skipped");
    for (Map.Entry<String, int[]> entry : perClass.entrySet()) {
      int[] c = entry.getValue();
      System.out.printf("%-46s %6d %6d %7d | %6d %6d %7d%n", entry.getKey(), c[0], c[1], c[2], c[3], c[4], c[5]);
      for (int i = 0; i < 6; i++) {
        total[i] += c[i];
      }
    }
    System.out.printf("%-46s %6d %6d %7d | %6d %6d %7d%n", "total", total[0], total[1], total[2], total[3], total[4], total[5]);
    int passed = total[0], failed = total[1], skipped = total[2];
    int unexplained = 0;
    for (String[] failure : failures) {
      String reason = known.get(failure[0]);
      if (reason == null) {
        unexplained++;
      }
      System.out.println((reason == null ? "NEW   " : "known ") + failure[0] + "\n       " + oneLine(failure[1])
          + (reason == null ? "" : "\n       why: " + reason));
    }
    for (String test : known.keySet()) {
      if (failures.stream().noneMatch(failure -> failure[0].equals(test))) {
        System.out.println("fixed? " + test + " is listed as a known failure but did not fail");
      }
    }
    System.out.println("SCIMONO tests that apply: " + passed + " passed, " + failed + " failed (" + unexplained + " not known), "
        + skipped + " skipped; whole suite: " + (passed + total[3]) + " passed, " + (failed + total[4]) + " failed, "
        + (skipped + total[5]) + " skipped");
    System.exit(unexplained == 0 ? 0 : 1);
  }

  /** A list file: one entry per line, maybe followed by a reason; # starts a comment line. */
  private static Map<String, String> listed(String file) throws java.io.IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of(file))) {
      String trimmed = line.strip();
      if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
        String[] parts = trimmed.split("\\s+", 2);
        entries.put(parts[0], parts.length > 1 ? parts[1] : "");
      }
    }
    return entries;
  }

  private static Element first(Element parent, String... tags) {
    for (String tag : tags) {
      NodeList found = parent.getElementsByTagName(tag);
      if (found.getLength() > 0) {
        return (Element) found.item(0);
      }
    }
    return null;
  }

  private static String oneLine(String text) {
    String line = text.replaceAll("\\s+", " ").strip();
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }
}
