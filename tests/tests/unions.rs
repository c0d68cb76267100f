//! Untagged unions choose the variant the JSON fits best, not the first that accepts it, and a
//! value decoded, encoded and decoded again comes back as the same variant.

use intercom_api::v2_14::types::{
    MultipleFilterSearchRequest, MultipleFilterSearchRequestOperator,
    MultipleFilterSearchRequestValue, SearchRequestQuery, SingleFilterSearchRequestOperator,
};
use serde_json::json;

fn decode(value: serde_json::Value) -> SearchRequestQuery {
    let decoded: SearchRequestQuery = serde_json::from_value(value).expect("decodes");
    let again: SearchRequestQuery =
        serde_json::from_value(serde_json::to_value(&decoded).expect("encodes")).expect("decodes");
    assert_eq!(
        decoded, again,
        "decoded again, the union chose another variant"
    );
    decoded
}

#[test]
fn an_and_query_is_the_multiple_filter_variant() {
    let query = decode(json!({
        "operator": "AND",
        "value": [
            {"field": "email", "operator": "=", "value": "a@b.c"},
            {"field": "created_at", "operator": ">", "value": 1700000000}
        ]
    }));
    let SearchRequestQuery::MultipleFilterSearchRequest(query) = query else {
        panic!("not the multiple-filter variant: {query:?}");
    };
    assert_eq!(
        query.operator,
        Some(MultipleFilterSearchRequestOperator::And)
    );
    let Some(MultipleFilterSearchRequestValue::SingleFilterSearchRequest(filters)) = query.value
    else {
        panic!("the filters are not single filters: {:?}", query.value);
    };
    assert_eq!(filters.len(), 2);
    assert_eq!(filters[0].field.as_deref(), Some("email"));
    assert_eq!(
        filters[1].operator,
        Some(SingleFilterSearchRequestOperator::Gt)
    );
    assert!(filters[1].additional_properties.is_empty());
}

#[test]
fn a_single_filter_is_the_single_filter_variant() {
    let query = decode(json!({"field": "name", "operator": "~", "value": "Ann"}));
    let SearchRequestQuery::SingleFilterSearchRequest(filter) = query else {
        panic!("not the single-filter variant: {query:?}");
    };
    assert_eq!(
        filter.operator,
        Some(SingleFilterSearchRequestOperator::Contains)
    );
}

#[test]
fn nested_queries_keep_their_variants() {
    let query = decode(json!({
        "operator": "OR",
        "value": [
            {"operator": "AND", "value": [{"field": "role", "operator": "=", "value": "user"}]},
            {"operator": "AND", "value": [{"field": "role", "operator": "=", "value": "lead"}]}
        ]
    }));
    let SearchRequestQuery::MultipleFilterSearchRequest(MultipleFilterSearchRequest {
        value: Some(MultipleFilterSearchRequestValue::MultipleFilterSearchRequest(inner)),
        ..
    }) = query
    else {
        panic!("the nested queries are not multiple-filter queries: {query:?}");
    };
    assert_eq!(inner.len(), 2);
    assert!(inner
        .iter()
        .all(|q| q.operator == Some(MultipleFilterSearchRequestOperator::And)));
}

/// The query builder: two filters joined by AND, as the body of `search_contacts`.
#[tokio::test(flavor = "current_thread")]
async fn the_query_builder_is_a_search_body() -> Result<(), intercom_api::Error> {
    use intercom_api::search::{Filter, Query};
    use intercom_api::test_util::{MockApi, MockResponse};
    use intercom_api::v2_14::types::SearchRequest;

    let mock = MockApi::new();
    let client: intercom_api::v2_14::Client = mock.client();
    mock.on(
        "search_contacts",
        MockResponse::json(200, json!({"type": "list", "data": [], "total_count": 0})),
    );
    let query = Query::and([
        Filter::eq("email", "a@b.c"),
        Filter::gt("created_at", 1_700_000_000),
    ]);
    client.search_contacts(query.clone().into()).await?;
    let sent = &mock.requests_to("search_contacts")[0];
    let body: serde_json::Value = serde_json::from_slice(&sent.body).expect("a JSON body");
    assert_eq!(body, json!({"query": query.to_json()}));
    let SearchRequest { query, .. } = SearchRequest::from(query);
    assert!(matches!(
        query,
        SearchRequestQuery::MultipleFilterSearchRequest(_)
    ));
    let single = SearchRequest::from(Filter::contains("name", "Ann"));
    assert!(matches!(
        single.query,
        SearchRequestQuery::SingleFilterSearchRequest(_)
    ));
    Ok(())
}

/// A transport shared between the clients of two versions sends each client's version.
#[tokio::test(flavor = "current_thread")]
async fn a_shared_transport_sends_each_clients_version() -> Result<(), intercom_api::Error> {
    use intercom_api::test_util::MockApi;
    let mock = MockApi::new();
    let v2_14: intercom_api::v2_14::Client = mock.client();
    let unstable = intercom_api::unstable::Client::from(v2_14.transport().clone());
    assert_eq!(unstable.transport().api_version(), "Unstable");
    unstable.list_tags().await?;
    v2_14.list_tags().await?;
    let versions: Vec<String> = mock
        .requests_to("list_tags")
        .iter()
        .map(|r| {
            r.headers["intercom-version"]
                .to_str()
                .unwrap_or("")
                .to_owned()
        })
        .collect();
    assert_eq!(versions, ["Unstable", "2.14"]);
    Ok(())
}
