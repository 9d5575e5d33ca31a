<%@ include file="taglibs.jspf" %>
<c:set var="title" value="log in"/>
<%@ include file="header.jspf" %>
<h1>Log in</h1>
<c:if test="${not empty loginError}"><p class="status failure" id="login-error"><c:out value="${loginError}"/></p></c:if>
<form method="post" action="${pageContext.request.contextPath}/hpadmin/login" id="login">
  <input type="hidden" name="_csrf" value="<c:out value='${loginToken}'/>">
  <input type="hidden" name="next" value="<c:out value='${next}'/>">
  <p><label>User <input name="user" autocomplete="username" maxlength="64" value="<c:out value='${user}'/>"></label></p>
  <p><label>Password <input name="password" type="password" autocomplete="current-password" maxlength="256"></label></p>
  <p><button type="submit">Log in</button></p>
</form>
<p class="muted">The user is <code>adminUser</code> of hostpub.xml (<code>admin</code> unless set). Unless
  <code>adminPassword</code> or <code>adminPasswordHash</code> is configured, the password was generated when the
  installation first started and logged once, in the container log of the instance that generated it (Tomcat's
  <code>catalina.out</code>, Jetty's output): a line <code>generated the /hpadmin password</code>. Deleting
  <code>conf/admin-password.hash</code> of the installation home and restarting one instance generates another.</p>
<%@ include file="footer.jspf" %>
