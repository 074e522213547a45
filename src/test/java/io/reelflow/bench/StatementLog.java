package io.reelflow.bench;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * A data source that notes every statement prepared through it with its parameters, so {@link
 * CacheBench} can replay what {@code PromptIndex} sent under {@code EXPLAIN} without a copy of
 * its SQL. Not thread-safe: one caller at a time.
 */
final class StatementLog {

  record Sent(String sql, List<Object> params) {}

  private final List<Sent> sent = new ArrayList<>();
  private final DataSource dataSource;

  StatementLog(DataSource target) {
    this.dataSource = proxy(DataSource.class, target, (method, args, result) -> method.getName().equals("getConnection")
        ? proxy(Connection.class, (Connection) result, this::onConnection) : result);
  }

  DataSource dataSource() {
    return dataSource;
  }

  /** Forgets what was sent so far. */
  void clear() {
    sent.clear();
  }

  /** The statements prepared since {@link #clear}, in order. */
  List<Sent> sent() {
    return List.copyOf(sent);
  }

  private Object onConnection(Method method, Object[] args, Object result) {
    if (!method.getName().equals("prepareStatement")) {
      return result;
    }
    TreeMap<Integer, Object> params = new TreeMap<>();
    sent.add(new Sent((String) args[0], new ParamList(params)));
    return proxy(PreparedStatement.class, (PreparedStatement) result, (m, a, r) -> {
      if (m.getName().startsWith("set") && a != null && a.length >= 2 && a[0] instanceof Integer i) {
        params.put(i, a[1]);
      }
      return r;
    });
  }

  /** Parameters in index order, filled in as the statement is bound. */
  private static final class ParamList extends java.util.AbstractList<Object> {
    private final TreeMap<Integer, Object> byIndex;

    ParamList(TreeMap<Integer, Object> byIndex) {
      this.byIndex = byIndex;
    }

    @Override
    public Object get(int index) {
      return byIndex.get(index + 1);
    }

    @Override
    public int size() {
      return byIndex.size();
    }
  }

  private interface After {
    Object apply(Method method, Object[] args, Object result) throws SQLException;
  }

  private static <T> T proxy(Class<T> type, T target, After after) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
      try {
        return after.apply(method, args, method.invoke(target, args));
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }));
  }
}
