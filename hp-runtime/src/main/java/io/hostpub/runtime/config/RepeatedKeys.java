package io.hostpub.runtime.config;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Refuses a configuration file that gives a key twice. JAXB keeps the last of two {@code <supervisorPort>} elements
 * without a word, so an operator who added a line at the end of the file and left the old one got the value they did
 * not look at. A key given twice is an error naming both lines.
 */
final class RepeatedKeys {

    private RepeatedKeys() {
    }

    /** Passes well-formed XML whose root's children are all distinct; malformed XML is left to the parser proper. */
    static void check(byte[] xml, Path file) {
        try {
            XMLInputFactory xif = XMLInputFactory.newFactory();
            xif.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            xif.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            XMLStreamReader reader = xif.createXMLStreamReader(new ByteArrayInputStream(xml));
            Map<String, Integer> firstLine = new HashMap<>();
            int depth = 0;
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    if (depth == 2) {
                        String key = reader.getLocalName();
                        int line = reader.getLocation().getLineNumber();
                        Integer before = firstLine.putIfAbsent(key, line);
                        if (before != null) {
                            throw new ConfigException("configuration " + file + " line " + line + ": <" + key
                                    + "> is given twice (also on line " + before + "); give each key once");
                        }
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                }
            }
        } catch (XMLStreamException malformed) {
            // the parser proper reports it with its line
        }
    }
}
