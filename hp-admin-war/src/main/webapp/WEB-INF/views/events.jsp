<%@ include file="taglibs.jspf" %>
<%@ include file="header.jspf" %>
<c:url var="machineUrl" value="/hpadmin/"><c:param name="machine" value="${machine}"/></c:url>
<h1>Events of <c:out value="${empty instance ? 'the machine' : instance}"/></h1>
<p><a href="<c:out value='${machineUrl}'/>" id="back-to-machine">Back to the instances</a>
  <span class="muted">&middot; the machine's event journal (<code>$HOSTPUB_HOME/events</code>), newest first: what every
  instance recorded, across restarts, and the departures others saw</span></p>
<form method="get" action="${pageContext.request.contextPath}/hpadmin/events" id="events-filter">
  <input type="hidden" name="machine" value="<c:out value='${machine}'/>">
  <label>Instance <input name="instance" maxlength="200" value="<c:out value='${instance}'/>"></label>
  <button type="submit">Show</button>
</form>
<table id="journal">
  <thead><tr><th>At</th><th>Instance</th><th>PID</th><th>Kind</th><th>Message</th></tr></thead>
  <tbody>
  <c:forEach var="e" items="${events}">
    <tr class="journal-event"><td><c:out value="${e.at}"/></td><td><c:out value="${e.instance}"/></td>
      <td><c:out value="${e.pid == 0 ? '' : e.pid}"/></td><td><c:out value="${e.kind}"/></td><td><c:out value="${e.message}"/></td></tr>
  </c:forEach>
  <c:if test="${empty events}"><tr><td colspan="5" class="muted">No events.</td></tr></c:if>
  </tbody>
</table>
<%@ include file="footer.jspf" %>
