package io.hostpub.admin.web.xml;

import io.hostpub.admin.api.model.ApplicationInfo;
import io.hostpub.admin.api.model.ConnectionInfo;
import io.hostpub.admin.api.model.EventInfo;
import io.hostpub.admin.api.model.InstanceDetail;
import io.hostpub.admin.api.model.InstanceSummary;
import io.hostpub.admin.api.model.JvmInfo;
import io.hostpub.admin.api.model.MachineView;
import io.hostpub.admin.api.model.PoolInfo;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlElementWrapper;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlValue;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The API's XML form (JAXB): the same fields and names as the JSON, one element per field, lists wrapped
 * ({@code <instances><instance>..}).
 */
public final class XmlViews {

    private static final JAXBContext CONTEXT = context();

    private XmlViews() {
    }

    private static JAXBContext context() {
        try {
            return JAXBContext.newInstance(Machine.class, Detail.class, Error.class, Result.class,
                    ClusterXml.class);
        } catch (JAXBException e) {
            throw new IllegalStateException("JAXB context of the admin API", e);
        }
    }

    /** Marshals a DTO of the API (or a map of simple values) as an XML document. */
    public static String marshal(Object dto) {
        Object root;
        if (dto instanceof MachineView view) {
            root = Machine.of(view);
        } else if (dto instanceof InstanceDetail detail) {
            root = Detail.of(detail);
        } else if (dto instanceof io.hostpub.coordinator.api.report.ClusterReport cluster) {
            root = ClusterXml.of(cluster);
        } else if (dto instanceof Error || dto instanceof Result) {
            root = dto;
        } else if (dto instanceof Map<?, ?> map) {
            root = Result.of(map);
        } else {
            throw new IllegalArgumentException("no XML form for " + dto.getClass().getName());
        }
        try {
            Marshaller marshaller = CONTEXT.createMarshaller();
            marshaller.setProperty(Marshaller.JAXB_FORMATTED_OUTPUT, Boolean.TRUE);
            marshaller.setProperty(Marshaller.JAXB_ENCODING, "UTF-8");
            StringWriter out = new StringWriter();
            marshaller.marshal(root, out);
            return out.toString();
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot write " + dto.getClass().getSimpleName() + " as XML", e);
        }
    }

    @XmlRootElement(name = "machine")
    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Machine {
        @XmlElement(name = "machine") public String machine;
        public String supervisor;
        public int registryPort;
        public Licenses licenses;
        @XmlElementWrapper(name = "instances") @XmlElement(name = "instance") public List<Instance> instances;

        static Machine of(MachineView view) {
            Machine xml = new Machine();
            xml.machine = view.machine();
            xml.supervisor = view.supervisor();
            xml.registryPort = view.registryPort();
            xml.licenses = new Licenses();
            xml.licenses.inUse = view.licenses().inUse();
            xml.licenses.limit = view.licenses().limit();
            xml.instances = view.instances().stream().map(Instance::of).toList();
            return xml;
        }
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Licenses {
        public int inUse;
        public int limit;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Instance {
        public String name;
        public String role;
        public long pid;
        public String startedAt;
        public long uptimeMs;
        public String container;
        @XmlElementWrapper(name = "httpPorts") @XmlElement(name = "port") public List<Integer> httpPorts;
        public int licensesInUse;

        static Instance of(InstanceSummary summary) {
            Instance xml = new Instance();
            xml.name = summary.name();
            xml.role = summary.role().name();
            xml.pid = summary.pid();
            xml.startedAt = summary.startedAt().toString();
            xml.uptimeMs = summary.uptimeMs();
            xml.container = summary.container();
            xml.httpPorts = new ArrayList<>(summary.httpPorts());
            xml.licensesInUse = summary.licensesInUse();
            return xml;
        }
    }

    @XmlRootElement(name = "instance")
    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Detail {
        public Instance summary;
        public Jvm jvm;
        @XmlElementWrapper(name = "applications") @XmlElement(name = "application") public List<Application> applications;
        @XmlElementWrapper(name = "pools") @XmlElement(name = "pool") public List<Pool> pools;
        @XmlElementWrapper(name = "events") @XmlElement(name = "event") public List<Event> events;

        static Detail of(InstanceDetail detail) {
            Detail xml = new Detail();
            xml.summary = Instance.of(detail.summary());
            xml.jvm = Jvm.of(detail.jvm());
            xml.applications = detail.applications().stream().map(Application::of).toList();
            xml.pools = detail.pools().stream().map(Pool::of).toList();
            xml.events = detail.events().stream().map(Event::of).toList();
            return xml;
        }
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Jvm {
        public String version;
        public String vendor;
        public String host;
        public int cpus;
        public long heapUsedBytes;
        public long heapMaxBytes;
        public int threads;
        public String inputArguments;

        static Jvm of(JvmInfo jvm) {
            Jvm xml = new Jvm();
            xml.version = jvm.version();
            xml.vendor = jvm.vendor();
            xml.host = jvm.host();
            xml.cpus = jvm.cpus();
            xml.heapUsedBytes = jvm.heapUsedBytes();
            xml.heapMaxBytes = jvm.heapMaxBytes();
            xml.threads = jvm.threads();
            xml.inputArguments = jvm.inputArguments();
            return xml;
        }
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Application {
        public String contextPath;
        public String displayName;
        public int servlets;
        public int activeSessions;

        static Application of(ApplicationInfo application) {
            Application xml = new Application();
            xml.contextPath = application.contextPath();
            xml.displayName = application.displayName();
            xml.servlets = application.servlets();
            xml.activeSessions = application.activeSessions();
            return xml;
        }
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Pool {
        public String name;
        public String url;
        public int maxSize;
        public int active;
        public int idle;
        public int waiting;
        @XmlElementWrapper(name = "connections") @XmlElement(name = "connection") public List<Connection> connections;

        static Pool of(PoolInfo pool) {
            Pool xml = new Pool();
            xml.name = pool.name();
            xml.url = pool.url();
            xml.maxSize = pool.maxSize();
            xml.active = pool.active();
            xml.idle = pool.idle();
            xml.waiting = pool.waiting();
            xml.connections = pool.connections().stream().map(Connection::of).toList();
            return xml;
        }
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Connection {
        public long id;
        public String state;
        public String createdAt;
        public long ageMs;
        public String lastUsedAt;
        public String failure;

        static Connection of(ConnectionInfo connection) {
            Connection xml = new Connection();
            xml.id = connection.id();
            xml.state = connection.state().name();
            xml.createdAt = connection.createdAt().toString();
            xml.ageMs = connection.ageMs();
            xml.lastUsedAt = connection.lastUsedAt().toString();
            xml.failure = connection.failure().isEmpty() ? null : connection.failure();
            return xml;
        }
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Event {
        public String at;
        public String kind;
        public String message;

        static Event of(EventInfo event) {
            Event xml = new Event();
            xml.at = event.at().toString();
            xml.kind = event.kind().name();
            xml.message = event.message();
            return xml;
        }
    }

    /** An API error: {@code <error><status>404</status><error>...</error></error>}. */
    @XmlRootElement(name = "error")
    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Error {
        public int status;
        @XmlElement(name = "error") public String message;

        public Error() {
        }

        public Error(int status, String message) {
            this.status = status;
            this.message = message;
        }
    }

    /** A document of simple named values (action results, tokens). */
    @XmlRootElement(name = "result")
    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Result {
        @XmlElement(name = "field") public List<Field> fields = new ArrayList<>();

        static Result of(Map<?, ?> map) {
            Result xml = new Result();
            map.forEach((key, value) -> {
                Field field = new Field();
                field.name = String.valueOf(key);
                field.value = String.valueOf(value);
                xml.fields.add(field);
            });
            return xml;
        }
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class Field {
        @XmlAttribute public String name;
        @XmlValue public String value;
    }
}
