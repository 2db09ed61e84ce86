// The Java-client half of the capture: one synchronous call per ZooKeeper feature, in a fixed order that
// build-fixture.cjs labels. Usage: java -cp zookeeper.jar:slf4j-nop.jar:. Scenario PROXY_PORT
import org.apache.zookeeper.*;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.data.*;
import java.util.*;
import java.util.concurrent.*;
import static java.nio.charset.StandardCharsets.UTF_8;

public class Scenario {
  static void step(String name) { System.out.println("STEP " + name); }
  static void attempt(String name, Callable<Object> c) {
    step(name);
    try { System.out.println("  -> " + c.call()); } catch (Exception e) { System.out.println("  !! " + e); }
    try { Thread.sleep(50); } catch (InterruptedException ie) {}
  }
  public static void main(String[] a) throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper zk = new ZooKeeper("127.0.0.1:" + a[0], 30000, e -> {
      System.out.println("  EVENT " + e);
      if (e.getType() == Watcher.Event.EventType.None && e.getState() == Watcher.Event.KeeperState.SyncConnected) connected.countDown();
    });
    connected.await();
    Thread.sleep(100);
    zk.addAuthInfo("digest", "alice:secret".getBytes(UTF_8));
    Stat st = new Stat();
    attempt("create", () -> zk.create("/golden", "hello".getBytes(UTF_8), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
    attempt("create2", () -> zk.create("/golden/seq-", "h\u00e9llo \u2713".getBytes(UTF_8), Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT_SEQUENTIAL, st));
    attempt("createContainer", () -> zk.create("/golden/container", new byte[0], Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER, st));
    attempt("createTTL", () -> zk.create("/golden/ttl", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, st, 60000));
    attempt("create ephemeral", () -> zk.create("/golden/eph", "e".getBytes(UTF_8), Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL));
    attempt("create nodeExists", () -> zk.create("/golden", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
    attempt("exists watch", () -> zk.exists("/golden", true));
    attempt("exists missing", () -> zk.exists("/golden/missing", false));
    attempt("getData watch", () -> new String(zk.getData("/golden", true, st), UTF_8));
    attempt("getData null data", () -> zk.getData("/golden/ttl", false, st));
    attempt("getData noNode", () -> zk.getData("/golden/missing", false, st));
    attempt("setData badVersion", () -> zk.setData("/golden", "x".getBytes(UTF_8), 42));
    attempt("getACL digest", () -> zk.getACL("/golden/seq-0000000000", st));
    attempt("setACL", () -> zk.setACL("/golden/container", Ids.READ_ACL_UNSAFE, -1));
    attempt("getChildren watch", () -> zk.getChildren("/golden", true));
    attempt("getChildren2", () -> zk.getChildren("/golden", false, st));
    attempt("sync", () -> { CountDownLatch l = new CountDownLatch(1); zk.sync("/golden", (rc, p, ctx) -> l.countDown(), null); l.await(); return "synced"; });
    attempt("multi ok", () -> zk.multi(Arrays.asList(
        Op.create("/golden/m1", "m".getBytes(UTF_8), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
        Op.create("/golden/m2", "m".getBytes(UTF_8), Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER),
        Op.create("/golden/m3", "m".getBytes(UTF_8), Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, 60000),
        Op.setData("/golden/m1", "n".getBytes(UTF_8), 0),
        Op.check("/golden/m1", 1),
        Op.delete("/golden/m1", -1))));
    attempt("multi fails", () -> zk.multi(Arrays.asList(
        Op.create("/golden/m4", null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
        Op.check("/golden", 999),
        Op.setData("/golden", "z".getBytes(UTF_8), -1))));
    attempt("multiRead", () -> zk.multi(Arrays.asList(
        Op.getChildren("/golden/container"),
        Op.getData("/golden"),
        Op.getData("/golden/missing"))));
    attempt("addWatch", () -> { zk.addWatch("/golden", AddWatchMode.PERSISTENT_RECURSIVE); return "added"; });
    attempt("getEphemerals", () -> zk.getEphemerals("/golden"));
    attempt("getAllChildrenNumber", () -> zk.getAllChildrenNumber("/golden"));
    attempt("whoAmI", () -> zk.whoAmI());
    attempt("setData triggers watches", () -> zk.setData("/golden", "world".getBytes(UTF_8), -1));
    Thread.sleep(300);
    attempt("removeAllWatches", () -> { zk.removeAllWatches("/golden", Watcher.WatcherType.Any, false); return "removed"; });
    attempt("removeAllWatches noWatcher", () -> { zk.removeAllWatches("/golden/container", Watcher.WatcherType.Data, false); return "removed"; });
    attempt("delete", () -> { zk.delete("/golden/eph", -1); return "deleted"; });
    attempt("delete notEmpty", () -> { zk.delete("/golden", -1); return "deleted"; });
    step("close");
    zk.close();
    System.out.println("DONE");
  }
}
