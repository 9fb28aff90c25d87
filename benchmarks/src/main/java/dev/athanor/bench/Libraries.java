package dev.athanor.bench;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.ibatis.builder.xml.XMLMapperBuilder;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;
import org.jdbi.v3.core.Jdbi;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The libraries a user would pick instead of Athanor, each set up the way its documentation shows and used the way
 * its users write code: Jdbi's {@code withHandle}, Spring's {@code JdbcTemplate} (plus a
 * {@code TransactionTemplate} around the insert), and a MyBatis {@code SqlSession} per operation with an XML mapper.
 * Every one of them maps the row to an {@link Item} with a row mapper (MyBatis: a constructor result map) and reads
 * the generated key of the insert.
 */
final class Libraries {
    private Libraries() {
    }

    /** Jdbi over {@code ds}. */
    static final class JdbiPath {
        private static final org.jdbi.v3.core.mapper.RowMapper<Item> ITEM =
                (rs, ctx) -> new Item(rs.getLong(1), rs.getString(2), rs.getLong(3));

        private final Jdbi jdbi;
        private final String select;
        private final String insert;

        JdbiPath(DataSource ds, BenchDatabase db) {
            this.jdbi = Jdbi.create(ds);
            this.select = db.selectSql();
            this.insert = db.insertSql();
        }

        Item select(long id) {
            return jdbi.withHandle(h -> h.createQuery(select).bind(0, id).map(ITEM).one());
        }

        /**
         * Commits explicitly: Jdbi's {@code inTransaction} takes a connection whose auto-commit is off for one already
         * in a transaction and leaves the commit to its owner, so the pool would roll the insert back.
         */
        long insert(String name, long amount) {
            return jdbi.withHandle(h -> {
                long id = h.createUpdate(insert).bind(0, name).bind(1, amount)
                        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
                h.commit();
                return id;
            });
        }
    }

    /** Spring's JdbcTemplate over {@code ds}; the insert runs in a TransactionTemplate (what @Transactional does). */
    static final class SpringPath {
        private static final org.springframework.jdbc.core.RowMapper<Item> ITEM =
                (rs, n) -> new Item(rs.getLong(1), rs.getString(2), rs.getLong(3));

        private final JdbcTemplate jdbc;
        private final TransactionTemplate tx;
        private final String select;
        private final String insert;

        SpringPath(DataSource ds, BenchDatabase db) {
            this.jdbc = new JdbcTemplate(ds);
            this.tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
            this.select = db.selectSql();
            this.insert = db.insertSql();
        }

        Item select(long id) {
            return jdbc.queryForObject(select, ITEM, id);
        }

        long insert(String name, long amount) {
            Long id = tx.execute(status -> {
                KeyHolder keys = new GeneratedKeyHolder();
                jdbc.update(con -> {
                    PreparedStatement ps = con.prepareStatement(insert, Statement.RETURN_GENERATED_KEYS);
                    ps.setString(1, name);
                    ps.setLong(2, amount);
                    return ps;
                }, keys);
                return keys.getKeyAs(Long.class);
            });
            return id;
        }
    }

    /** A MyBatis {@code SqlSessionFactory} over {@code ds}, with its own JDBC transactions. */
    static final class MyBatisPath {
        private final SqlSessionFactory factory;

        MyBatisPath(DataSource ds, BenchDatabase db) {
            this.factory = factory(ds, db);
        }

        /**
         * MyBatis's JDBC transactions as documented for a pool that resets its connections
         * ({@code skipSetAutoCommitOnClose}): without it MyBatis switches auto-commit on before closing, which commits
         * the select's transaction where every other path has the pool roll it back. That is not the same work: H2
         * drops its parsed statements on every rollback, so MyBatis alone would skip parsing its select.
         */
        static SqlSessionFactory factory(DataSource ds, BenchDatabase db) {
            JdbcTransactionFactory transactions = new JdbcTransactionFactory();
            Properties properties = new Properties();
            properties.setProperty("skipSetAutoCommitOnClose", "true");
            transactions.setProperties(properties);
            Configuration configuration = new Configuration(new Environment("bench", transactions, ds));
            addMapper(configuration, db);
            return new SqlSessionFactoryBuilder().build(configuration);
        }

        /**
         * Adds the {@code bench} namespace ({@code selectItem}, {@code insertEntry}) to {@code configuration}, with
         * this database's table names: the same statements for plain MyBatis and for MyBatis inside Athanor.
         */
        static void addMapper(Configuration configuration, BenchDatabase db) {
            String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<!DOCTYPE mapper PUBLIC \"-//mybatis.org//DTD Mapper 3.0//EN\""
                    + " \"https://mybatis.org/dtd/mybatis-3-mapper.dtd\">\n"
                    + "<mapper namespace=\"bench\">\n"
                    + "  <resultMap id=\"item\" type=\"" + Item.class.getName() + "\">\n"
                    + "    <constructor>\n"
                    + "      <idArg column=\"id\" javaType=\"_long\"/>\n"
                    + "      <arg column=\"name\" javaType=\"string\"/>\n"
                    + "      <arg column=\"amount\" javaType=\"_long\"/>\n"
                    + "    </constructor>\n"
                    + "  </resultMap>\n"
                    + "  <select id=\"selectItem\" parameterType=\"_long\" resultMap=\"item\">\n"
                    + "    SELECT id, name, amount FROM " + db.itemsTable() + " WHERE id = #{id}\n"
                    + "  </select>\n"
                    + "  <insert id=\"insertEntry\" parameterType=\"" + Entry.class.getName() + "\""
                    + " useGeneratedKeys=\"true\" keyProperty=\"id\" keyColumn=\"id\">\n"
                    + "    INSERT INTO " + db.entriesTable() + " (name, amount) VALUES (#{name}, #{amount})\n"
                    + "  </insert>\n"
                    + "</mapper>\n";
            new XMLMapperBuilder(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), configuration,
                    "bench-mapper.xml", configuration.getSqlFragments()).parse();
        }

        Item select(long id) {
            try (SqlSession session = factory.openSession()) {
                return session.selectOne("bench.selectItem", id);
            }
        }

        long insert(String name, long amount) {
            try (SqlSession session = factory.openSession()) {
                Entry entry = new Entry(name, amount);
                session.insert("bench.insertEntry", entry);
                session.commit();
                return entry.getId();
            }
        }
    }

    /** The insert's parameter object; MyBatis writes the generated id back into it. */
    public static final class Entry {
        private Long id;
        private String name;
        private long amount;

        public Entry() {
        }

        Entry(String name, long amount) {
            this.name = name;
            this.amount = amount;
        }

        public Long getId() {
            return id;
        }

        public void setId(Long id) {
            this.id = id;
        }

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public long getAmount() {
            return amount;
        }

        public void setAmount(long amount) {
            this.amount = amount;
        }
    }
}
