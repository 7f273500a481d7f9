// /service-catalog/request: upload attachments, offer articles as the user types, submit the answers.
frappe.ready(() => {
	const $root = $(".ssp-request");
	if (!$root.length) return;
	const service = $root.data("service");

	const upload = (file) =>
		new Promise((resolve, reject) => {
			const data = new FormData();
			data.append("file", file, file.name);
			data.append("is_private", 1);
			fetch("/api/method/upload_file", {
				method: "POST",
				headers: { "X-Frappe-CSRF-Token": frappe.csrf_token },
				body: data,
			})
				.then((r) => (r.ok ? r.json() : Promise.reject(r)))
				.then((r) => resolve(r.message.file_url))
				.catch(() => reject(__("Could not upload {0}", [file.name])));
		});

	const answers = async () => {
		const out = {};
		for (const group of $root.find(".form-group[data-fieldname]")) {
			const name = group.dataset.fieldname;
			const type = group.dataset.fieldtype;
			const $g = $(group);
			if (type === "Date Range") {
				out[name] = { from: $g.find(`[name='${name}__from']`).val(), to: $g.find(`[name='${name}__to']`).val() };
			} else if (type === "Check") {
				out[name] = $g.find("input").is(":checked") ? 1 : 0;
			} else if (type === "Attach") {
				const file = $g.find("input")[0].files[0];
				if (file) out[name] = await upload(file);
			} else {
				out[name] = $g.find("input, textarea, select").val();
			}
		}
		return out;
	};

	let timer = null;
	$root.find("input[type=text], textarea").first().on("input", function () {
		clearTimeout(timer);
		const query = $(this).val();
		timer = setTimeout(() => {
			frappe.call({
				method: "selfservice_portal.api.catalog.suggest_articles",
				args: { service, query },
				callback: (r) => {
					const items = r.message || [];
					$root.find(".ssp-suggestion-list").html(
						items.map((a) => `<li><a href="${a.url}" target="_blank">${frappe.utils.escape_html(a.title)}</a></li>`).join("")
					);
					$root.find(".ssp-suggestions").toggle(items.length > 0);
				},
			});
		}, 500);
	});

	// Errors show once: next to the field they are about (highlighted, the first one focused), and
	// in the box below the form only what concerns no single field. We call the API with fetch, so
	// that Frappe's message popup does not repeat them.
	const $form = $root.find(".ssp-request-form");
	const $errors = $root.find(".ssp-errors");
	const $button = $root.find(".ssp-submit");
	const buttonLabel = $button.html();

	const clearErrors = () => {
		$errors.hide().empty();
		$form.find(".is-invalid").removeClass("is-invalid").removeAttr("aria-invalid");
		$form.find(".ssp-field-error").removeClass("d-block").empty();
	};

	const showErrors = (fieldErrors, text) => {
		let first = null;
		for (const [fieldname, message] of Object.entries(fieldErrors || {})) {
			const group = $form.find(".form-group[data-fieldname]").filter((_, g) => g.dataset.fieldname === fieldname);
			if (!group.length) continue;
			const $inputs = group.find("input, textarea, select");
			$inputs.addClass("is-invalid").attr("aria-invalid", "true");
			$inputs.attr("aria-describedby", group.find(".ssp-field-error").attr("id"));
			group.find(".ssp-field-error").html(message).addClass("d-block"); // escaped by the server
			first = first || $inputs[0];
		}
		if (first) {
			first.focus();
			first.scrollIntoView({ block: "center" });
		} else {
			$errors.html(text || __("The request could not be submitted. Please check the form.")).show();
		}
	};

	const serverMessage = (body) => {
		try {
			return JSON.parse(JSON.parse(body._server_messages)[0]).message;
		} catch (_) {
			return "";
		}
	};

	// Once the requester changes a highlighted field, its message has done its job.
	$form.on("input change", ".is-invalid", function () {
		const group = $(this).closest(".form-group");
		group.find(".is-invalid").removeClass("is-invalid").removeAttr("aria-invalid");
		group.find(".ssp-field-error").removeClass("d-block").empty();
	});

	let submitting = false;
	const setBusy = (busy) => {
		submitting = busy;
		$button.prop("disabled", busy).attr("aria-busy", busy ? "true" : "false");
		$button.html(
			busy
				? `<span class="spinner-border spinner-border-sm mr-2" role="status" aria-hidden="true"></span>${__("Submitting…")}`
				: buttonLabel
		);
	};

	const showSubmitted = (result) => {
		$form.hide();
		$root.find(".ssp-suggestions").hide();
		const $done = $root.find(".ssp-submitted");
		$done.find(".ssp-submitted-ticket").text(__("Ticket {0} was created for your request.", [result.ticket]));
		$done.find(".ssp-submitted-status").text(result.status_text || "");
		$done.find(".ssp-submitted-link").attr("href", `/helpdesk/my-tickets/${encodeURIComponent(result.ticket)}`);
		$done.show().trigger("focus");
		window.scrollTo(0, 0);
	};

	$form.on("submit", async (e) => {
		e.preventDefault();
		if (submitting) return; // a second click while the first submit runs does nothing
		clearErrors();
		setBusy(true);
		try {
			const body = new URLSearchParams({ service, answers: JSON.stringify(await answers()) });
			const response = await fetch("/api/method/selfservice_portal.api.catalog.submit_request", {
				method: "POST",
				headers: {
					Accept: "application/json",
					"X-Frappe-CSRF-Token": frappe.csrf_token,
					"X-Requested-With": "XMLHttpRequest",
				},
				body,
			});
			const data = await response.json().catch(() => ({}));
			if (!response.ok) {
				showErrors(data.ssp_field_errors, serverMessage(data));
				setBusy(false);
				return;
			}
			showSubmitted(data.message);
		} catch (err) {
			showErrors(null, typeof err === "string" ? frappe.utils.escape_html(err) : "");
			setBusy(false);
		}
	});
});
