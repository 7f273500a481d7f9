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

	$root.find(".ssp-request-form").on("submit", async (e) => {
		e.preventDefault();
		const $errors = $root.find(".ssp-errors").hide();
		const $button = $root.find(".ssp-submit").prop("disabled", true);
		try {
			const r = await frappe.call({
				method: "selfservice_portal.api.catalog.submit_request",
				type: "POST",
				args: { service, answers: JSON.stringify(await answers()) },
			});
			window.location.href = `/helpdesk/my-tickets/${r.message.ticket}`;
		} catch (err) {
			let text = typeof err === "string" ? err : "";
			try {
				text = JSON.parse(JSON.parse(err.responseJSON._server_messages)[0]).message;
			} catch (_) {
				text = text || __("The request could not be submitted. Please check the form.");
			}
			$errors.html(text).show();
			$button.prop("disabled", false);
		}
	});
});
