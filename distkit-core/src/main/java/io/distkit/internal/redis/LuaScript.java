package io.distkit.internal.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * One Lua script loaded from the class path: its name (for messages) and its body with SHA-1, ready for
 * {@code EVALSHA}. Every distkit script replies with an array. Each script's KEYS/ARGV order and reply are fixed by
 * the one class that uses it.
 */
public final class LuaScript {

	private final String name;

	@SuppressWarnings("rawtypes")
	private final RedisScript<List> script;

	private LuaScript(String name, String body) {
		this.name = name;
		this.script = new FixedScript(body, sha1Hex(body));
	}

	/**
	 * Loads a script from files in {@code owner}'s package, concatenated in order: shared preludes first, the
	 * script's own file last (it names the script).
	 * @param owner the class that uses the script
	 * @param resources file names relative to the owner's package, or absolute class-path names starting with
	 * {@code /}, e.g. {@code counter_prelude.lua, strict_inc.lua}
	 * @return the script
	 */
	public static LuaScript load(Class<?> owner, String... resources) {
		StringBuilder body = new StringBuilder();
		for (String resource : resources) {
			body.append(read(owner, resource)).append('\n');
		}
		String last = resources[resources.length - 1];
		return new LuaScript(last.substring(last.lastIndexOf('/') + 1), body.toString());
	}

	private static String read(Class<?> owner, String resource) {
		String path = resource.startsWith("/") ? resource.substring(1)
				: owner.getPackageName().replace('.', '/') + "/" + resource;
		try (InputStream in = owner.getClassLoader().getResourceAsStream(path)) {
			if (in == null) {
				throw new IllegalStateException("Lua script " + path + " is missing from the class path");
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read Lua script " + path, ex);
		}
	}

	/** The file name, e.g. {@code strict_inc.lua}. */
	public String name() {
		return this.name;
	}

	public String sha1() {
		return this.script.getSha1();
	}

	public String body() {
		return this.script.getScriptAsString();
	}

	@SuppressWarnings("rawtypes")
	RedisScript<List> redisScript() {
		return this.script;
	}

	private static String sha1Hex(String body) {
		try {
			MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
			return HexFormat.of().formatHex(sha1.digest(body.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is not available", ex);
		}
	}

	/**
	 * A script whose body and SHA-1 never change. Spring's {@code DefaultRedisScript} takes a lock on every
	 * {@code getSha1()} (its source may be a file that changes), which every caller of a script contends for.
	 */
	@SuppressWarnings("rawtypes")
	private record FixedScript(String body, String sha1) implements RedisScript<List> {

		@Override
		public String getSha1() {
			return this.sha1;
		}

		@Override
		public Class<List> getResultType() {
			return List.class;
		}

		@Override
		public String getScriptAsString() {
			return this.body;
		}

	}

}
