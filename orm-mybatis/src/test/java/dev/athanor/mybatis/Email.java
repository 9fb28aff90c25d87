package dev.athanor.mybatis;

import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.type.BaseTypeHandler;
import org.apache.ibatis.type.JdbcType;

/** A value type stored as VARCHAR through a registered type handler. */
public record Email(String local, String domain) {
    static Email parse(String text) {
        int at = text.indexOf('@');
        return new Email(text.substring(0, at), text.substring(at + 1));
    }

    /** A mapper returning {@link Email}s. */
    public interface Mapper {
        @Select("SELECT email FROM users WHERE name = #{name}")
        Email of(String name);
    }

    /** VARCHAR to {@link Email} and back. */
    static final class Handler extends BaseTypeHandler<Email> {
        @Override
        public void setNonNullParameter(PreparedStatement ps, int i, Email e, JdbcType type) throws SQLException {
            ps.setString(i, e.local() + "@" + e.domain());
        }

        @Override
        public Email getNullableResult(ResultSet rs, String column) throws SQLException {
            String s = rs.getString(column);
            return s == null ? null : parse(s);
        }

        @Override
        public Email getNullableResult(ResultSet rs, int column) throws SQLException {
            String s = rs.getString(column);
            return s == null ? null : parse(s);
        }

        @Override
        public Email getNullableResult(CallableStatement cs, int column) throws SQLException {
            String s = cs.getString(column);
            return s == null ? null : parse(s);
        }
    }
}
