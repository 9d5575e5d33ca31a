<%@ include file="taglibs.jspf" %>
<c:set var="title" value="error"/>
<%@ include file="header.jspf" %>
<h1>Request failed (<c:out value="${status}"/>)</h1>
<p class="status failure" id="failure"><c:out value="${message}"/></p>
<p><a href="${pageContext.request.contextPath}/hpadmin/">Back to the instance list</a></p>
<%@ include file="footer.jspf" %>
