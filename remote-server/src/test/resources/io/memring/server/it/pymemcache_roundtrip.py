"""A pymemcache round trip, one line per step: "step result". PymemcacheIT runs it against our node
and stock memcached and compares the lines. Every call waits for the reply (noreply=False)."""
import sys

from pymemcache.client.base import Client
from pymemcache.exceptions import MemcacheError

client = Client(("127.0.0.1", int(sys.argv[1])), connect_timeout=5, timeout=5, default_noreply=False)


def step(name, call):
    try:
        result = call()
    except MemcacheError as e:
        result = "%s(%s)" % (type(e).__name__, e)
    if isinstance(result, dict):
        result = sorted(result.items())
    print(name, repr(result), flush=True)


step("flush_all", lambda: client.flush_all())
step("set", lambda: client.set("k", b"v1", expire=100))
step("get", lambda: client.get("k"))
step("get_missing", lambda: client.get("missing"))
step("set_binary", lambda: client.set("bin", bytes(range(256)) * 40))
step("get_binary", lambda: client.get("bin") == bytes(range(256)) * 40)
step("add_existing", lambda: client.add("k", b"x"))
step("add_new", lambda: client.add("added", b"a"))
step("replace_missing", lambda: client.replace("missing", b"x"))
step("replace", lambda: client.replace("added", b"b"))
step("append", lambda: client.append("added", b"c"))
step("prepend", lambda: client.prepend("added", b"z"))
step("get_appended", lambda: client.get("added"))
cas_token = {}
def gets():
    value, cas = client.gets("k")
    cas_token["k"] = cas
    return value, cas is not None
step("gets", gets)
step("cas_ok", lambda: client.cas("k", b"v2", cas_token["k"]))
step("cas_stale", lambda: client.cas("k", b"v3", cas_token["k"]))
step("cas_missing", lambda: client.cas("missing", b"v", 1))
step("get_after_cas", lambda: client.get("k"))
step("set_counter", lambda: client.set("n", b"10"))
step("incr", lambda: client.incr("n", 5))
step("decr", lambda: client.decr("n", 3))
step("decr_below_zero", lambda: client.decr("n", 100))
step("incr_wraps", lambda: (client.set("w", b"18446744073709551615"), client.incr("w", 2)))
step("incr_missing", lambda: client.incr("missing", 1))
step("incr_not_a_number", lambda: client.incr("k", 1))
step("touch", lambda: client.touch("k", 100))
step("touch_missing", lambda: client.touch("missing", 100))
step("get_many", lambda: client.get_many(["k", "n", "added", "missing"]))
step("gets_many", lambda: {k: v[0] for k, v in client.gets_many(["k", "n"]).items()})
step("delete", lambda: client.delete("n"))
step("delete_missing", lambda: client.delete("n"))
step("get_deleted", lambda: client.get("n"))
step("set_expired", lambda: client.set("gone", b"x", expire=-1))
step("get_expired", lambda: client.get("gone"))
step("version", lambda: client.version() != b"")
step("flush_all_again", lambda: client.flush_all())
step("get_after_flush", lambda: client.get_many(["k", "added", "bin"]))
client.close()
print("done", flush=True)
