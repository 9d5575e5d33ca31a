<%@ include file="taglibs.jspf" %>
<%@ include file="header.jspf" %>
<c:url var="instanceUrl" value="/hpadmin/instance"><c:param name="machine" value="${machine}"/><c:param name="name" value="${name}"/></c:url>
<h1>Loggers of <c:out value="${name}"/></h1>
<p><a href="<c:out value='${instanceUrl}'/>" id="back-to-instance">Back to <c:out value="${name}"/></a>
  &middot; <span class="muted"><c:out value="${matching}"/> of <c:out value="${total}"/> loggers match
  <c:if test="${matching > 500}">(the first 500 shown: narrow the filter)</c:if></span></p>
<form method="get" action="${pageContext.request.contextPath}/hpadmin/loggers" id="logger-filter">
  <input type="hidden" name="machine" value="<c:out value='${machine}'/>">
  <input type="hidden" name="name" value="<c:out value='${name}'/>">
  <label>Name contains <input name="filter" maxlength="200" value="<c:out value='${filter}'/>"></label>
  <button type="submit">Filter</button>
</form>
<table id="loggers">
  <thead><tr><th>Logger</th><th>Level set</th><th>In force</th><c:if test="${not readOnly}"><th>Set level</th></c:if></tr></thead>
  <tbody>
  <c:forEach var="l" items="${loggers}">
    <tr class="logger"><td class="name"><c:choose><c:when test="${empty l.name}"><em>(root)</em></c:when><c:otherwise><c:out value="${l.name}"/></c:otherwise></c:choose></td>
      <td class="level"><c:choose><c:when test="${empty l.level}"><span class="muted">(inherited)</span></c:when><c:otherwise><c:out value="${l.level}"/></c:otherwise></c:choose></td>
      <td class="effective"><c:out value="${l.effectiveLevel}"/></td>
      <c:if test="${not readOnly}"><td><form method="post" action="${pageContext.request.contextPath}/hpadmin/action" class="inline">
        <input type="hidden" name="_csrf" value="<c:out value='${csrfToken}'/>">
        <input type="hidden" name="machine" value="<c:out value='${machine}'/>">
        <input type="hidden" name="name" value="<c:out value='${name}'/>">
        <input type="hidden" name="action" value="set-log-level">
        <input type="hidden" name="logger" value="<c:out value='${l.name}'/>">
        <select name="level"><c:forEach var="v" items="${levels}"><option<c:if test="${v == l.effectiveLevel}"> selected</c:if>><c:out value="${v}"/></option></c:forEach></select>
        <button type="submit">Set</button>
      </form></td></c:if></tr>
  </c:forEach>
  </tbody>
</table>
<%@ include file="footer.jspf" %>
