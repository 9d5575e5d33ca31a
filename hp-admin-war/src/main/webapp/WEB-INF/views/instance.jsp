<%@ include file="taglibs.jspf" %>
<c:set var="title" value="${name}"/>
<%@ include file="header.jspf" %>
<c:url var="machineUrl" value="/hpadmin/"><c:param name="machine" value="${machine}"/></c:url>
<p><a href="<c:out value='${machineUrl}'/>">&larr; machine <c:out value="${machine}"/></a></p>
<h1>Instance <c:out value="${name}"/></h1>
<c:if test="${not empty done}"><p class="status done" id="done"><c:out value="${done}"/></p></c:if>
<c:if test="${not empty failure}"><p class="status failure" id="failure"><c:out value="${failure}"/></p></c:if>
<c:if test="${not empty detail}">
  <c:set var="s" value="${detail.summary}"/>
  <c:set var="j" value="${detail.jvm}"/>
  <table id="summary">
    <tr><th>Role</th><td id="role"><c:out value="${s.role}"/></td></tr>
    <tr><th>PID</th><td id="pid"><c:out value="${s.pid}"/></td></tr>
    <tr><th>Started</th><td><c:out value="${s.startedAt}"/> (up <c:out value="${s.uptime}"/>)</td></tr>
    <tr><th>Container</th><td id="container"><c:out value="${empty s.container ? '(bare JVM)' : s.container}"/></td></tr>
    <tr><th>HTTP ports</th><td><c:forEach var="p" items="${s.httpPorts}" varStatus="st"><c:out value="${p}"/><c:if test="${!st.last}">, </c:if></c:forEach></td></tr>
    <tr><th>Licenses held</th><td id="licenses"><c:out value="${s.licensesInUse}"/></td></tr>
    <tr><th>JVM</th><td><c:out value="${j.version}"/> (<c:out value="${j.vendor}"/>) on <c:out value="${j.host}"/>, <c:out value="${j.cpus}"/> CPUs</td></tr>
    <tr><th>Heap</th><td><c:out value="${j.heapUsedMb}"/> MiB of <c:out value="${j.heapMaxMb}"/> MiB</td></tr>
    <tr><th>Threads</th><td><c:out value="${j.threads}"/>
      <c:url var="threadsUrl" value="/hpadmin/threads"><c:param name="machine" value="${machine}"/><c:param name="name" value="${name}"/></c:url>
      (<a href="<c:out value='${threadsUrl}'/>" id="thread-dump">thread dump</a>)</td></tr>
  </table>

  <h2>Applications</h2>
  <table id="applications">
    <thead><tr><th>Context path</th><th>Name</th><th>Servlets</th><th>Sessions</th></tr></thead>
    <tbody>
    <c:forEach var="a" items="${detail.applications}">
      <tr><td><c:out value="${empty a.contextPath ? '/' : a.contextPath}"/></td><td><c:out value="${a.displayName}"/></td>
        <td><c:out value="${a.servlets}"/></td><td><c:out value="${a.activeSessions}"/></td></tr>
    </c:forEach>
    </tbody>
  </table>

  <h2>Pools</h2>
  <c:if test="${empty detail.pools}"><p class="muted">No pools.</p></c:if>
  <c:forEach var="pool" items="${detail.pools}">
    <h3>Pool <c:out value="${pool.name}"/></h3>
    <p class="muted"><c:out value="${pool.url}"/>: <c:out value="${pool.active}"/> active, <c:out value="${pool.idle}"/> idle,
      <c:out value="${pool.waiting}"/> waiting, at most <c:out value="${pool.maxSize}"/>.
      <c:if test="${not readOnly}">
      <c:forEach var="poolAction" items="${['soft-evict-pool', 'validate-pool', 'delete-failed-connections']}">
      <form method="post" action="${pageContext.request.contextPath}/hpadmin/action" class="inline">
        <input type="hidden" name="_csrf" value="<c:out value='${csrfToken}'/>">
        <input type="hidden" name="machine" value="<c:out value='${machine}'/>">
        <input type="hidden" name="name" value="<c:out value='${name}'/>">
        <input type="hidden" name="action" value="<c:out value='${poolAction}'/>">
        <input type="hidden" name="pool" value="<c:out value='${pool.name}'/>">
        <button type="submit" class="<c:out value='${poolAction}'/>"><c:choose>
          <c:when test="${poolAction == 'soft-evict-pool'}">Soft-evict pool</c:when>
          <c:when test="${poolAction == 'validate-pool'}">Check connections</c:when>
          <c:otherwise>Delete failed connections</c:otherwise></c:choose></button>
      </form>
      </c:forEach></c:if></p>
    <table class="connections">
      <thead><tr><th>#</th><th>State</th><th>Created</th><th>Age (ms)</th><th>Last used</th><th></th></tr></thead>
      <tbody>
      <c:forEach var="conn" items="${pool.connections}">
        <tr class="connection${conn.state == 'FAILED' ? ' failed' : ''}" data-id="${conn.id}"><td><c:out value="${conn.id}"/></td><td class="state"><c:out value="${conn.state}"/><c:if test="${not empty conn.failure}"><br><span class="muted failure-reason"><c:out value="${conn.failure}"/></span></c:if></td>
          <td><c:out value="${conn.createdAt}"/></td><td><c:out value="${conn.ageMs}"/></td><td><c:out value="${conn.lastUsedAt}"/></td>
          <td><c:if test="${not readOnly}"><form method="post" action="${pageContext.request.contextPath}/hpadmin/action" class="inline">
            <input type="hidden" name="_csrf" value="<c:out value='${csrfToken}'/>">
            <input type="hidden" name="machine" value="<c:out value='${machine}'/>">
            <input type="hidden" name="name" value="<c:out value='${name}'/>">
            <input type="hidden" name="action" value="delete-connection">
            <input type="hidden" name="pool" value="<c:out value='${pool.name}'/>">
            <input type="hidden" name="connection" value="<c:out value='${conn.id}'/>">
            <button type="submit" class="delete-connection">Delete</button>
          </form></c:if></td></tr>
      </c:forEach>
      </tbody>
    </table>
  </c:forEach>

  <h2>Actions</h2>
  <c:url var="loggersUrl" value="/hpadmin/loggers"><c:param name="machine" value="${machine}"/><c:param name="name" value="${name}"/></c:url>
  <p><a href="<c:out value='${loggersUrl}'/>" id="loggers-link">Loggers and their levels</a></p>
  <c:if test="${readOnly}"><p class="muted" id="no-actions">You are logged in with the read-only role: the actions
    (log levels, pools, connections, shutdown) need the administrator.</p></c:if>
  <c:if test="${not readOnly}">
  <form method="post" action="${pageContext.request.contextPath}/hpadmin/action" id="log-level">
    <input type="hidden" name="_csrf" value="<c:out value='${csrfToken}'/>">
    <input type="hidden" name="machine" value="<c:out value='${machine}'/>">
    <input type="hidden" name="name" value="<c:out value='${name}'/>">
    <input type="hidden" name="action" value="set-log-level">
    <label>Logger <input name="logger" maxlength="200" placeholder="(root)"></label>
    <label>Level <select name="level"><option>SEVERE</option><option>WARNING</option><option selected>INFO</option>
      <option>CONFIG</option><option>FINE</option><option>FINER</option><option>FINEST</option><option>OFF</option><option>ALL</option></select></label>
    <button type="submit">Set log level</button>
  </form>
  </c:if>
  <c:if test="${not readOnly}">
  <form method="post" action="${pageContext.request.contextPath}/hpadmin/action" id="shutdown">
    <input type="hidden" name="_csrf" value="<c:out value='${csrfToken}'/>">
    <input type="hidden" name="machine" value="<c:out value='${machine}'/>">
    <input type="hidden" name="name" value="<c:out value='${name}'/>">
    <input type="hidden" name="action" value="shutdown">
    <label><input type="checkbox" name="confirm" value="yes" required> I mean it</label>
    <button type="submit">Graceful shutdown of this instance</button>
    <span class="muted">(a clone supervised by the cluster is stopped as its job instead, and held stopped until it is
      started on the cluster page; its agent would otherwise start it again)</span>
  </form>
  </c:if>

  <h2>Recent events</h2>
  <p class="muted">From the machine's event journal: every life of <c:out value="${name}"/>, across its restarts
    (the PID tells them apart).</p>
  <table id="events">
    <thead><tr><th>At</th><th>PID</th><th>Kind</th><th>Message</th></tr></thead>
    <tbody>
    <c:forEach var="e" items="${empty history ? detail.events : history}">
      <tr><td><c:out value="${e.at}"/></td><td><c:out value="${e.pid}"/></td><td><c:out value="${e.kind}"/></td><td><c:out value="${e.message}"/></td></tr>
    </c:forEach>
    </tbody>
  </table>
</c:if>
<%@ include file="footer.jspf" %>
