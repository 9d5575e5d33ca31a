<%@ include file="taglibs.jspf" %>
<%@ include file="header.jspf" %>
<h1>Audit journal</h1>
<p class="muted">Every change made on this machine through the admin pages, the API and <code>hpctl</code>: recorded
  before it runs (a change that cannot be recorded is not made), its outcome after. Kept in
  <code><c:out value="${journal}"/></code>, one hash-chained record per line; <code>hpctl audit --verify</code> checks
  the chain from a terminal.</p>
<form method="get" action="${pageContext.request.contextPath}/hpadmin/audit" id="audit-filter">
  <label>User <input name="user" maxlength="200" value="<c:out value='${filter_user}'/>"></label>
  <label>Action <input name="action" maxlength="200" value="<c:out value='${filter_action}'/>"></label>
  <label>Target <input name="target" maxlength="200" value="<c:out value='${filter_target}'/>"></label>
  <label>Since <input name="since" maxlength="40" placeholder="2026-12-03T09:00:00Z" value="<c:out value='${filter_since}'/>"></label>
  <label>At most <input name="limit" maxlength="4" size="4" value="<c:out value='${empty filter_limit ? 100 : filter_limit}'/>"></label>
  <label><input type="checkbox" name="verify" value="yes"> verify the chain</label>
  <button type="submit">Show</button>
</form>
<c:if test="${not empty verification}">
  <p id="verification" class="${verification.intact() ? 'ok' : 'failure'}"><strong><c:out value="${verification.describe()}"/></strong></p>
</c:if>
<table id="audit">
  <thead><tr><th>#</th><th>Time</th><th>User</th><th>Role</th><th>From</th><th>Via</th><th>Action</th><th>Target</th>
    <th>Arguments</th><th>Result</th></tr></thead>
  <tbody>
  <c:forEach var="r" items="${records}">
    <tr class="audit-record"><td><c:out value="${r.seq}"/><c:if test="${r.ref > 0}"> <span class="muted">(of #<c:out value="${r.ref}"/>)</span></c:if></td>
      <td><c:out value="${r.time}"/></td><td><c:out value="${r.user}"/></td><td><c:out value="${r.role}"/></td>
      <td><c:out value="${r.source}"/></td><td><c:out value="${r.via}"/></td><td class="action"><c:out value="${r.action}"/></td>
      <td><c:out value="${r.target}"/></td>
      <td><c:forEach var="a" items="${r.arguments}"><c:out value="${a.key}"/>=<c:out value="${a.value}"/> </c:forEach></td>
      <td class="result"><c:out value="${r.result}"/></td></tr>
  </c:forEach>
  <c:if test="${empty records}"><tr><td colspan="10" class="muted">No records match.</td></tr></c:if>
  </tbody>
</table>
<%@ include file="footer.jspf" %>
