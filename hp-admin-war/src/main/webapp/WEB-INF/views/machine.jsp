<%@ include file="taglibs.jspf" %>
<c:set var="title" value="${machine}"/>
<%@ include file="header.jspf" %>
<h1>Machine <c:out value="${machine}"/></h1>
<form method="get" action="${pageContext.request.contextPath}/hpadmin/" id="chooser">
  <fieldset>
    <legend>Choose a machine</legend>
    <label>Host <input name="host" maxlength="253" value="<c:out value='${host}'/>"></label>
    <c:if test="${not empty fieldErrors.host}"><span class="error" id="host-error"><c:out value="${fieldErrors.host}"/></span></c:if>
    <label>Supervisor port <input name="port" maxlength="5" size="6" value="<c:out value='${port}'/>"></label>
    <c:if test="${not empty fieldErrors.port}"><span class="error" id="port-error"><c:out value="${fieldErrors.port}"/></span></c:if>
    <button type="submit">Show</button>
  </fieldset>
</form>
<c:url var="liveUrl" value="/hpadmin/live"><c:param name="page" value="machine"/><c:param name="machine" value="${machine}"/><c:param name="shown" value="${liveShown}"/></c:url>
<p class="muted"><span id="live-status">not live (no script)</span></p>
<div id="live" data-stream="<c:out value='${liveUrl}'/>">
<c:if test="${not empty param.done}"><p class="status done" id="done"><c:out value="${param.done}"/></p></c:if>
<c:if test="${not empty failure}"><p class="status failure" id="failure"><c:out value="${failure}"/></p></c:if>
<c:if test="${not empty view}">
  <p id="tally">Supervisor <strong><c:out value="${view.supervisor}"/></strong>, registry port
    <c:out value="${view.registryPort}"/>. Licenses held:
    <strong id="licenses-in-use"><c:out value="${view.licenses.inUse}"/></strong> of
    <span id="licenses-limit"><c:choose><c:when test="${view.licenses.limit == 0}">unlimited</c:when>
      <c:otherwise><c:out value="${view.licenses.limit}"/></c:otherwise></c:choose></span>
    <span class="muted">(in use, plus units leased to subordinates for local grants until they are idle for
    <code>licenseLeaseIdleMs</code>; the column below shows each instance's units in use)</span>.</p>
  <table id="instances">
    <thead><tr><th>Name</th><th>Role</th><th>PID</th><th>Uptime</th><th>Container</th><th>HTTP ports</th><th>Licenses</th></tr></thead>
    <tbody>
    <c:forEach var="i" items="${view.instances}">
      <tr class="${i.role == 'SUPERVISOR' ? 'supervisor' : 'subordinate'}">
        <td><c:url var="detailUrl" value="/hpadmin/instance"><c:param name="machine" value="${machine}"/><c:param name="name" value="${i.name}"/></c:url>
          <a href="<c:out value='${detailUrl}'/>" class="instance-link"><c:out value="${i.name}"/></a></td>
        <td class="role"><c:out value="${i.role}"/><c:if test="${i.role == 'SUPERVISOR'}"> &#9733;</c:if></td>
        <td class="pid"><c:out value="${i.pid}"/></td>
        <td><c:out value="${i.uptime}"/></td>
        <td><c:out value="${empty i.container ? '(bare JVM)' : i.container}"/></td>
        <td><c:forEach var="p" items="${i.httpPorts}" varStatus="s"><c:out value="${p}"/><c:if test="${!s.last}">, </c:if></c:forEach></td>
        <td class="licenses"><c:out value="${i.licensesInUse}"/></td>
      </tr>
    </c:forEach>
    </tbody>
  </table>
  <p class="muted"><c:out value="${fn:length(view.instances)}"/> instances. Data read over RMI from each instance.</p>
  <c:url var="eventsUrl" value="/hpadmin/events"><c:param name="machine" value="${machine}"/></c:url>
  <h2>Departed instances</h2>
  <c:choose>
    <c:when test="${empty departed}"><p class="muted" id="no-departed">None in the machine's recent events.</p></c:when>
    <c:otherwise>
      <table id="departed">
        <thead><tr><th>Name</th><th>PID</th><th>Last seen</th><th>Last heard</th></tr></thead>
        <tbody>
        <c:forEach var="d" items="${departed}">
          <c:url var="historyUrl" value="/hpadmin/events"><c:param name="machine" value="${machine}"/><c:param name="instance" value="${d.instance}"/></c:url>
          <tr class="departed"><td><a href="<c:out value='${historyUrl}'/>"><c:out value="${d.instance}"/></a> <span class="muted">(departed)</span></td>
            <td><c:out value="${d.pid == 0 ? '' : d.pid}"/></td><td class="last-seen"><c:out value="${d.at}"/></td>
            <td><c:out value="${d.kind}"/>: <c:out value="${d.message}"/></td></tr>
        </c:forEach>
        </tbody>
      </table>
    </c:otherwise>
  </c:choose>
  <p><a href="<c:out value='${eventsUrl}'/>" id="events-link">The machine's event journal</a> (every instance, across restarts)</p>
</c:if>
</div>
<%@ include file="footer.jspf" %>
