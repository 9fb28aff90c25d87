/**
 * MyBatis mappers inside Athanor sessions: {@link dev.athanor.mybatis.MyBatisSessionFactory} registers mappers per
 * bind and opens {@link dev.athanor.mybatis.MyBatisSession}s, whose mapper calls run on the session's connections and
 * in its transaction, on one database or several.
 *
 * <pre>{@code
 * MyBatisSessionFactory orm = MyBatisSessionFactory.builder(sessions)
 *         .mapper(UserMapper.class)
 *         .mapper(BlogMapper.class, "blogs")
 *         .build();
 * orm.useTransaction(s -> s.mapper(UserMapper.class).insert(new User("ann", "ann@example.com")));
 * }</pre>
 */
package dev.athanor.mybatis;
