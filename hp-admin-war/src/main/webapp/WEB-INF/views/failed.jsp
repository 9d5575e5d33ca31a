<%@ page isErrorPage="true" %>
<%@ include file="taglibs.jspf" %>
<c:set var="title" value="error"/>
<%@ include file="header.jspf" %>
<h1>Request failed</h1>
<p class="status failure" id="failure">The request failed inside this clone; the container's log has the details
  (<c:out value="${requestScope['jakarta.servlet.error.exception'].getClass().simpleName}"/>).</p>
<p><a href="${pageContext.request.contextPath}/hpadmin/">Back to the instance list</a></p>
<%@ include file="footer.jspf" %>
