package dev.loomcounter.live;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading a JSON thread dump in tests: its containers by name, a container's thread names, a thread's id. */
final class DumpJson {

    private DumpJson() {
    }

    /** {@code threadDump.threadContainers[]}, by container name, in the dump's order. */
    static Map<String, JsonObject> containers(String json) {
        Map<String, JsonObject> containers = new LinkedHashMap<>();
        for (JsonElement container : JsonParser.parseString(json).getAsJsonObject().getAsJsonObject("threadDump")
                .getAsJsonArray("threadContainers")) {
            containers.put(container.getAsJsonObject().get("container").getAsString(), container.getAsJsonObject());
        }
        return containers;
    }

    static List<String> names(JsonObject container) {
        List<String> names = new ArrayList<>();
        container.getAsJsonArray("threads").forEach(t -> names.add(t.getAsJsonObject().get("name").getAsString()));
        return names;
    }

    static String tid(JsonObject container, String name) {
        for (JsonElement thread : container.getAsJsonArray("threads")) {
            if (thread.getAsJsonObject().get("name").getAsString().equals(name)) {
                return thread.getAsJsonObject().get("tid").getAsString();
            }
        }
        throw new AssertionError("no thread " + name + " in " + container.get("container"));
    }
}
