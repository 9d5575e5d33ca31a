<%@ include file="taglibs.jspf" %>
<%@ include file="header.jspf" %>
<h1>Cluster</h1>
<p class="muted"><a href="${pageContext.request.contextPath}/hpadmin/">instances of this machine</a>
  &middot; JSON: <a href="${pageContext.request.contextPath}/hpadmin/api/cluster">/hpadmin/api/cluster</a></p>
<c:url var="liveUrl" value="/hpadmin/live"><c:param name="page" value="cluster"/><c:param name="shown" value="${liveShown}"/></c:url>
<p class="muted"><span id="live-status">not live (no script)</span></p>
<div id="live" data-stream="<c:out value='${liveUrl}'/>">
<c:if test="${not empty done}"><p class="status done" id="done"><c:out value="${done}"/></p></c:if>
<c:if test="${not empty failure}"><p class="status failure" id="failure"><c:out value="${failure}"/></p></c:if>
<c:if test="${not empty cluster}">
  <p id="store" class="muted">Store <c:out value="${cluster.store}"/>, coordinators poll every
    <c:out value="${cluster.pollIntervalMs}"/> ms. As of <c:out value="${cluster.at}"/>.</p>
  <c:forEach var="o" items="${cluster.shutdowns}">
    <p class="status failure shutdown-order">Shut down on purpose: <c:out value="${o.scope}"/> since
      <c:out value="${o.at}"/><c:if test="${not empty o.by}"> by <c:out value="${o.by}"/></c:if>. Nothing under it is
      started or restarted until it is started again (below, or <code>hpctl cluster start</code>).</p>
  </c:forEach>
  <svg id="tree" xmlns="http://www.w3.org/2000/svg" width="${diagram.width}" height="${diagram.height}"
       viewBox="0 0 ${diagram.width} ${diagram.height}" role="img" aria-label="cluster hierarchy">
    <c:forEach var="e" items="${diagram.edges}">
      <line x1="${e.x1}" y1="${e.y1}" x2="${e.x2}" y2="${e.y2}" stroke="#8a96a3" stroke-width="1.5"/>
    </c:forEach>
    <c:forEach var="b" items="${diagram.boxes}">
      <g class="node">
        <rect x="${b.x}" y="${b.y}" width="224" height="46" rx="5" fill="<c:out value='${b.fill}'/>"
              stroke="<c:out value='${b.stroke}'/>" stroke-width="1.5"/>
        <text x="${b.x + 8}" y="${b.y + 19}" font-size="13" font-weight="600"><c:out value="${b.title}"/></text>
        <text x="${b.x + 8}" y="${b.y + 36}" font-size="10.5" fill="#36414d"><c:out value="${b.subtitle}"/></text>
      </g>
    </c:forEach>
  </svg>

  <h2>Coordinators</h2>
  <table id="monitors">
    <thead><tr><th>Position</th><th>State</th><th>PID</th><th>Node</th><th>Endpoint</th><th>Epoch</th><th>Standby</th><th>Held jobs</th><th>Drained nodes</th></tr></thead>
    <tbody>
    <c:forEach var="m" items="${cluster.monitors}">
      <tr class="monitor"><td><c:out value="${m.position}"/></td><td class="state"><c:out value="${m.state}"/></td>
        <td><c:out value="${m.pid}"/></td><td><c:out value="${m.node}"/></td><td><c:out value="${m.endpoint}"/></td>
        <td><c:out value="${m.epoch}"/></td>
        <td class="standby"><c:if test="${not empty m.standby}">pid <c:out value="${m.standby.pid}"/> on
          <c:out value="${m.standby.node}"/></c:if></td>
        <td><c:forEach var="j" items="${m.operator.heldJobs}"><c:out value="${j}"/> </c:forEach></td>
        <td><c:forEach var="n" items="${m.operator.drainedNodes}"><c:out value="${n}"/> </c:forEach></td></tr>
      <c:if test="${not empty m.storeProblem}">
        <tr class="monitor-store"><td></td><td colspan="8"><strong class="store-behind">the cluster store fails:
          <c:out value="${m.storeProblem}"/>; this coordinator's checkpoint is not written (it still polls its
          children, and goes PASSIVE, restarting and placing nothing, while the store cannot confirm its
          fence)</strong></td></tr>
      </c:if>
    </c:forEach>
    </tbody>
  </table>

  <c:if test="${not empty cluster.rollouts}">
    <h2>Rollouts</h2>
    <p class="muted">The latest WAR rollout of each application (<code>hpctl rollout APP --war FILE</code>): members
      are replaced a few at a time, each once it serves the new version; too many failures roll every replaced member
      back. The versions are kept as <code>wars/APP/APP##VERSION.war</code> under the installation home.</p>
    <c:forEach var="r" items="${cluster.rollouts}">
      <div class="rollout" id="rollout-<c:out value='${r.application}'/>">
        <p><strong><c:out value="${r.application}"/></strong>: rollout <c:out value="${r.number}"/>, version
          <c:out value="${r.from.label}"/> &rarr; <c:out value="${r.to.label}"/>,
          <span class="phase"><strong><c:out value="${r.phase}"/></strong></span>
          (failures <c:out value="${r.failures}"/> of budget <c:out value="${r.failureBudget}"/>, at most
          <c:out value="${r.maxUnavailable}"/> unavailable), started <c:out value="${r.startedAt}"/> by
          <c:out value="${r.by}"/>. <span class="message"><c:out value="${r.message}"/></span></p>
        <table class="rollout-members">
          <thead><tr><th>Member</th><th>Step</th><th>Version</th><th>Since</th></tr></thead>
          <tbody>
          <c:forEach var="m" items="${r.members}">
            <tr class="rollout-member"><td><c:out value="${m.key}"/></td><td class="step"><c:out value="${m.value.state}"/></td>
              <td><c:out value="${m.value.version}"/></td><td><c:out value="${m.value.since}"/></td></tr>
          </c:forEach>
          </tbody>
        </table>
        <c:if test="${r.phase == 'ROLLING' or r.phase == 'ROLLING_BACK'}">
          <c:if test="${not readOnly}">
          <form method="post" class="inline abort-rollout" action="${pageContext.request.contextPath}/hpadmin/cluster">
            <input type="hidden" name="_csrf" value="<c:out value='${csrfToken}'/>">
            <input type="hidden" name="name" value="<c:out value='${r.application}'/>">
            <button type="submit" name="op" value="abort-rollout"<c:if test="${r.phase == 'ROLLING_BACK'}"> disabled</c:if>>abort and roll back</button>
          </form>
          </c:if>
        </c:if>
      </div>
    </c:forEach>
  </c:if>

  <h2>Nodes and jobs</h2>
  <table id="jobs">
    <thead><tr><th>Node</th><th>Agent</th><th>Job</th><th>State</th><th>PID</th><th>Up</th><th>Down</th><th>Failures</th><th>Restarts</th><th>Availability</th><th>Action</th></tr></thead>
    <tbody>
    <c:forEach var="a" items="${cluster.agents}">
      <tr class="agent"><td><c:out value="${a.node}"/></td>
        <td><c:out value="${a.state}"/> <span class="muted"><c:out value="${a.address}"/></span></td>
        <td colspan="8"><c:if test="${a.unrecordedJobs > 0}"><strong class="store-behind">the cluster store refuses
          writes: <c:out value="${a.unrecordedJobs}"/> job record(s) kept by the agent, not yet written (its jobs are
          still supervised)</strong></c:if></td>
        <td>
          <c:if test="${not readOnly}">
          <form method="post" class="inline" action="${pageContext.request.contextPath}/hpadmin/cluster">
            <input type="hidden" name="_csrf" value="<c:out value='${csrfToken}'/>">
            <input type="hidden" name="name" value="<c:out value='${a.node}'/>">
            <button type="submit" name="op" value="drain">drain</button>
            <button type="submit" name="op" value="undrain">undrain</button>
          </form>
          </c:if>
        </td></tr>
      <c:forEach var="j" items="${a.jobs}">
        <tr class="job"><td></td><td></td><td><c:out value="${j.spec.name}"/><c:if test="${not empty j.spec.version}">
          <span class="version muted">version <c:out value="${j.spec.version}"/></span></c:if></td>
          <td class="state"><c:out value="${j.state}"/><c:if test="${j.failedOut}"> (failed out)</c:if>
            <c:if test="${j.state == 'RUNNING'}"><span class="health"><c:choose>
              <c:when test="${empty j.healthy}">(starting)</c:when>
              <c:when test="${j.healthy}">(healthy)</c:when>
              <c:otherwise><strong>(not healthy)</strong></c:otherwise></c:choose></span></c:if></td>
          <td><c:out value="${j.pid}"/></td>
          <td><c:out value="${j.statistics.upMillis / 1000}"/> s</td>
          <td><c:out value="${j.statistics.downMillis / 1000}"/> s</td>
          <td><c:out value="${j.statistics.failures}"/></td><td><c:out value="${j.statistics.restarts}"/></td>
          <td><c:out value="${j.statistics.availabilityPercent}"/> %</td>
          <td>
            <c:if test="${not readOnly}">
            <form method="post" class="inline" action="${pageContext.request.contextPath}/hpadmin/cluster">
              <input type="hidden" name="_csrf" value="<c:out value='${csrfToken}'/>">
              <input type="hidden" name="name" value="<c:out value='${j.spec.name}'/>">
              <button type="submit" name="op" value="stop-job">stop</button>
            </form>
            </c:if>
          </td></tr>
        <c:set var="av" value="${availability[j.spec.name]}"/>
        <c:if test="${not empty av}">
          <tr class="availability"><td></td><td></td><td colspan="9">
            <svg class="availability-chart" xmlns="http://www.w3.org/2000/svg" width="180" height="20"
                 viewBox="0 0 180 20" role="img" aria-label="availability in the last 60 minutes">
              <rect x="0" y="0" width="180" height="20" fill="#eceff1"/>
              <c:forEach var="b" items="${av.bars}">
                <rect x="${b.x}" y="${20 - b.upHeight}" width="3" height="${b.upHeight}" fill="#2e7d32"/>
                <rect x="${b.x}" y="${20 - b.upHeight - b.downHeight}" width="3" height="${b.downHeight}" fill="#c62828"/>
              </c:forEach>
            </svg>
            <span class="muted">last hour <strong><c:out value="${av.lastHour}"/></strong>, since the plan
              started <c:out value="${av.sinceStart}"/>; outages <c:out value="${av.outages}"/>, restarts
              <c:out value="${av.restarts}"/>, MTBF <c:out value="${av.mtbf}"/>, MTTR <c:out value="${av.mttr}"/>
              (serving, counted by its coordinator)</span></td></tr>
        </c:if>
        <c:forEach var="i" items="${j.incidents}">
          <tr class="incident"><td></td><td></td><td colspan="9"><details><summary><strong><c:out value="${i.kind}"/></strong>
            at <c:out value="${i.at}"/>, pid <c:out value="${i.pid}"/>: <c:out value="${i.reason}"/>; killed and
            restarted. Evidence on node <c:out value="${a.node}"/>: <code><c:out value="${i.evidence}"/></code></summary>
            <pre><c:out value="${i.excerpt}"/></pre></details></td></tr>
        </c:forEach>
      </c:forEach>
    </c:forEach>
    </tbody>
  </table>
  <h2>Shutdown and start</h2>
  <p class="muted">A shutdown stops every job, agent and coordinator under the scope in order and keeps them stopped
    (nothing restarts them) until a start. A shutdown of <em>all</em> also stops this page's own clone.</p>
  <c:if test="${not readOnly}">
  <form method="post" id="shutdown-form" action="${pageContext.request.contextPath}/hpadmin/cluster">
    <input type="hidden" name="_csrf" value="<c:out value='${csrfToken}'/>">
    <label>Scope <select name="name">
      <option value="all">all (the whole installation)</option>
      <c:forEach var="m" items="${cluster.monitors}">
        <option value="<c:out value='${m.position}'/>"><c:out value="${m.position}"/> and everything beneath</option>
      </c:forEach>
    </select></label>
    <label><input type="checkbox" name="confirm" value="yes" required> I mean it</label>
    <button type="submit" name="op" value="shutdown">shut down</button>
    <button type="submit" name="op" value="start">start</button>
  </form>
  </c:if>
  <c:forEach var="m" items="${cluster.monitors}">
    <c:forEach var="held" items="${m.operator.heldJobs}">
      <c:if test="${not readOnly}">
      <form method="post" class="inline held" action="${pageContext.request.contextPath}/hpadmin/cluster">
        <input type="hidden" name="_csrf" value="<c:out value='${csrfToken}'/>">
        <input type="hidden" name="name" value="<c:out value='${held}'/>">
        <button type="submit" name="op" value="start-job">start <c:out value="${held}"/></button>
      </form>
      </c:if>
    </c:forEach>
  </c:forEach>
</c:if>
</div>
<%@ include file="footer.jspf" %>
