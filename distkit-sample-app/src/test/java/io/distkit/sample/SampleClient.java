package io.distkit.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

import com.jayway.jsonpath.JsonPath;

/** Calls one running sample application over real HTTP; keeps its cookies (one HTTP session per client). */
final class SampleClient {

	private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

	private final int port;

	SampleClient(int port) {
		this.port = port;
	}

	HttpResponse<String> get(String path, String... headers) {
		return send(request(path, headers).GET().build());
	}

	HttpResponse<String> post(String path) {
		return send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build());
	}

	HttpResponse<String> delete(String path) {
		return send(request(path).DELETE().build());
	}

	CompletableFuture<HttpResponse<String>> getAsync(String path) {
		return this.http.sendAsync(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	/** A value of the JSON body of {@code GET path}, which must answer 200. */
	<T> T json(String path, String jsonPath) {
		HttpResponse<String> response = get(path);
		if (response.statusCode() != 200) {
			throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
		}
		return JsonPath.read(response.body(), jsonPath);
	}

	private HttpRequest.Builder request(String path, String... headers) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path));
		if (headers.length > 0) {
			builder.headers(headers);
		}
		return builder;
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
