package io.hostpub.runtime.supervisor;

import io.hostpub.admin.api.model.EventKind;
import io.hostpub.admin.api.wire.Message;
import io.hostpub.runtime.link.LinkContext;
import java.util.Map;

/**
 * Which subordinate stands by to succeed this supervisor, and what it is told (issue 14): the first member that can
 * (version 3) is designated with SUCCESSOR and then sent every other member in MEMBER_UP; each later join and leave
 * follows as one MEMBER_UP or MEMBER_DOWN to it alone, so the cost per join stays constant whatever the group's size.
 * When the successor itself leaves, another member is designated. Called with the membership lock held.
 */
final class SuccessorFeed {

    private final LinkContext context;
    private final SendDeadline deadline;
    private SubordinateSession successor;

    SuccessorFeed(LinkContext context, SendDeadline deadline) {
        this.context = context;
        this.deadline = deadline;
    }

    /** A member was accepted: designate it if nobody stands by yet. */
    void accepted(SubordinateSession session, Map<String, SubordinateSession> members) {
        if (successor == null && session.canSucceed()) {
            designate(session, members);
        }
    }

    /** A member was admitted (bound): the successor learns of it. */
    void joined(SubordinateSession session, String name) {
        if (successor != null && session != successor) {
            successor.sendWithin(new Message.MemberUp(name, session.pid(), session.announcedStub()), deadline);
        }
    }

    /** A member left: the successor forgets it; if it was the successor, another one is designated. */
    void left(SubordinateSession session, String name, Map<String, SubordinateSession> members) {
        if (session == successor) {
            successor = null;
            members.values().stream().filter(m -> m != session && m.canSucceed()).findFirst()
                    .ifPresent(next -> designate(next, members));
        } else if (successor != null) {
            successor.sendWithin(new Message.MemberDown(name, session.pid()), deadline);
        }
    }

    private void designate(SubordinateSession next, Map<String, SubordinateSession> members) {
        successor = next;
        next.sendWithin(new Message.Successor(), deadline);
        int sent = 0;
        String nextName = null;
        for (Map.Entry<String, SubordinateSession> member : members.entrySet()) {
            if (member.getValue() == next) {
                nextName = member.getKey();
            } else {
                next.sendWithin(new Message.MemberUp(member.getKey(), member.getValue().pid(),
                        member.getValue().announcedStub()), deadline);
                sent++;
            }
        }
        context.events().record(EventKind.ROLE, "designated " + nextName + " (pid " + next.pid()
                + ") successor; sent it " + sent + " member(s)");
    }
}
