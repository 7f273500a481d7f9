// One poll's form: collect the answers, send them, show the thank-you or the server's reason.
frappe.ready(() => {
	const $form = $(".ssp-poll-form");
	if (!$form.length) return;
	const $errors = $(".ssp-poll-errors");
	let sending = false;

	const answers = () => {
		const out = {};
		$form.find(".ssp-question").each(function () {
			const $q = $(this);
			const key = $q.attr("data-key");
			const kind = $q.attr("data-kind");
			if (kind === "Multiple Choice") {
				const picked = $q.find("input:checked").map((_, el) => el.value).get();
				if (picked.length) out[key] = picked;
			} else if (kind === "Short Text") {
				const text = $q.find("textarea").val().trim();
				if (text) out[key] = text;
			} else {
				const $picked = $q.find("input:checked");
				if ($picked.length) out[key] = $picked.val();
			}
		});
		return out;
	};

	const serverMessage = (body) => {
		try {
			const message = JSON.parse(JSON.parse(body._server_messages)[0]).message;
			return $("<div>").html(message).text();
		} catch (_) {
			return "";
		}
	};

	const showError = (text) => {
		$errors.text(text || __("Your answers could not be saved. Please try again.")).show();
	};

	// Once the respondent answers again, the last complaint has done its job.
	$form.on("change input", () => $errors.hide());

	$form.on("submit", async (e) => {
		e.preventDefault();
		if (sending) return;
		$errors.hide().empty();
		const given = answers();
		const missing = $form
			.find(".ssp-question")
			.filter(function () {
				return $(this).attr("data-required") === "1" && !($(this).attr("data-key") in given);
			});
		if (missing.length) {
			showError(__("Please answer every question marked with *."));
			missing.first().get(0).scrollIntoView({ block: "center" });
			return;
		}
		sending = true;
		$form.find(".ssp-poll-submit").prop("disabled", true);
		try {
			const response = await fetch("/api/method/selfservice_portal.api.polls.submit_poll", {
				method: "POST",
				headers: {
					Accept: "application/json",
					"X-Frappe-CSRF-Token": frappe.csrf_token,
					"X-Requested-With": "XMLHttpRequest",
				},
				body: new URLSearchParams({ poll: $form.data("poll"), answers: JSON.stringify(given) }),
			});
			const data = await response.json().catch(() => ({}));
			if (!response.ok) {
				showError(serverMessage(data));
				return;
			}
			$form.hide();
			$(".ssp-poll-thanks").show().trigger("focus");
			window.scrollTo(0, 0);
		} catch (err) {
			showError("");
		} finally {
			sending = false;
			$form.find(".ssp-poll-submit").prop("disabled", false);
		}
	});
});
