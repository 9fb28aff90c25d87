package dev.athanor.hibernate;

import dev.athanor.Engine;
import dev.athanor.ScopedSession;
import dev.athanor.SessionFactory;
import dev.athanor.SessionSavepoint;
import dev.athanor.hibernate.example.Blog;
import dev.athanor.hibernate.example.User;

import java.util.List;
import java.util.Map;

/**
 * The README's Hibernate example, compiled: the region between the markers is the README's code block, word for
 * word ({@link ReadmeExampleTest} checks it and runs it).
 */
final class ReadmeExample {
    private ReadmeExample() {
    }

    /** The example over two engines; returns ann's id and the user read back in a scoped session. */
    static User units(Engine users, Engine blogs) {
        // README-BEGIN units
        SessionFactory sessions = SessionFactory.builder().bind(users).bind("blogs", blogs).build();
        HibernateSessionFactory orm = HibernateSessionFactory.builder(sessions)
                .entity(User.class)                                  // default bind: the users database
                .entity(Blog.class, "blogs")                         // the blogs database: its own model
                .property("hibernate.jdbc.batch_size", 50)           // any Hibernate setting, on every bind
                .build();                                            // .savepointPolicy(REFRESH) to opt in

        long annId = orm.inTransaction(s -> {                        // one unit of work over two databases
            User ann = new User("ann", "ann@example.com");
            s.orm().persist(ann);                                    // session.add(user)
            s.orm(Blog.class).persist(new Blog(ann.getId(), "Hello")); // the bind Blog is registered on
            return ann.getId();                                      // flushed and committed together
        });

        try (HibernateSession s = orm.openSession()) {
            User ann = s.orm().find(User.class, annId);              // query(User).filter_by(id=1).first()
            ann.setName("Ann");                                      // user.name = "Ann"
            s.commit();                                              // the change is found and written
            List<Blog> posts = s.orm("blogs")
                    .createSelectionQuery("from Blog b where b.userId = :id", Blog.class)
                    .setParameter("id", annId).getResultList();
            try (SessionSavepoint sp = s.beginNested()) {            // pending changes are flushed first
                s.orm("blogs").remove(posts.get(0));
                sp.rollback();                                       // the Hibernate sessions are cleared
            }
            s.execute("UPDATE hb_users SET email = :e WHERE id = :id", Map.of("e", "ann@example.org", "id", annId));
            s.commit();                                              // Hibernate, SQL: one transaction
        }

        ScopedSession<HibernateSession> db = ScopedSession.threadLocal(orm);   // scoped sessions come with orm()
        User again = db.inScope(() -> db.current().orm().find(User.class, annId));
        // README-END
        orm.close();
        return again;
    }
}
