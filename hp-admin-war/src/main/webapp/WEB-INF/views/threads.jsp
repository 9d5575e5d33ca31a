<%@ include file="taglibs.jspf" %>
<c:set var="title" value="threads of ${name}"/>
<%@ include file="header.jspf" %>
<c:url var="instanceUrl" value="/hpadmin/instance"><c:param name="machine" value="${machine}"/><c:param name="name" value="${name}"/></c:url>
<c:url var="rawUrl" value="${rawPath}"><c:param name="machine" value="${machine}"/></c:url>
<h1>Threads of <c:out value="${name}"/></h1>
<p><a href="<c:out value='${instanceUrl}'/>" id="back-to-instance">Back to <c:out value="${name}"/></a>
  &middot; <a href="<c:out value='${rawUrl}'/>" id="raw-dump">as text</a> (the format of <code>jstack -l</code>)</p>
<pre id="thread-dump"><c:out value="${dump}"/></pre>
<%@ include file="footer.jspf" %>
