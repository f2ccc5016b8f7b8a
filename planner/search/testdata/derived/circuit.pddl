; A circuit: a node is powered when it is a source or a powered neighbour
; that is not broken feeds it through a closed switch (a recursive derived
; predicate); a node is dark when it is not powered (negation by failure,
; one stratum up). Repairs need a dark node, so the switch feeding it must
; be opened first.
(define (domain circuit)
  (:requirements :strips :typing :negative-preconditions :derived-predicates)
  (:types node)
  (:predicates (wire ?a ?b - node) (closed ?a ?b - node) (source ?n - node)
               (broken ?n - node) (powered ?n - node) (dark ?n - node))
  (:derived (powered ?n - node)
    (or (source ?n)
        (exists (?m - node) (and (powered ?m) (not (broken ?m)) (wire ?m ?n) (closed ?m ?n)))))
  (:derived (dark ?n - node) (not (powered ?n)))
  (:action close
    :parameters (?a ?b - node)
    :precondition (and (wire ?a ?b) (not (closed ?a ?b)))
    :effect (closed ?a ?b))
  (:action open
    :parameters (?a ?b - node)
    :precondition (closed ?a ?b)
    :effect (not (closed ?a ?b)))
  (:action repair
    :parameters (?n - node)
    :precondition (and (broken ?n) (dark ?n))
    :effect (not (broken ?n))))
